"""The search page (index.html): every report, filtered in the browser by province, city, county,
body (人民政府, 教育局...), year and free text. The reports are a script beside the page (data.js),
so the page works opened straight from the folder; the filters live in the address's #fragment, so
a filtered view can be bookmarked or sent."""

from __future__ import annotations

from warehouse.site.data import Report, slug
from warehouse.site.html import page, script_json

FILTERS = (("province", "省 Province"), ("city", "市 City"), ("county", "县区 County"), ("body", "机关 Body"),
           ("year", "年度 Year"))

JS = r"""
(function () {
  "use strict";
  var data = window.NIANBAO_REPORTS || [];
  var fields = ["province", "city", "county", "body", "year"];
  var tbody = document.getElementById("rows");
  var count = document.getElementById("count");
  var q = document.getElementById("q");
  function sel(f) { return document.getElementById("f-" + f); }
  function val(r, f) { return r[f] === null || r[f] === undefined ? "" : String(r[f]); }
  function chosen() {
    var s = {};
    fields.forEach(function (f) { s[f] = sel(f).value; });
    s.q = q.value.trim().toLowerCase();
    return s;
  }
  function fits(r, s, except) {
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f !== except && s[f] && val(r, f) !== s[f]) { return false; }
    }
    if (s.q) {
      var hay = [r.agency, r.town, r.body, r.source, r.province, r.city, r.county].map(function (x) {
        return (x || "").toLowerCase(); }).join(" ");
      if (hay.indexOf(s.q) < 0) { return false; }
    }
    return true;
  }
  function options(f, s) {
    // the choices left by the other filters, so a city lists only its counties
    var seen = {};
    data.forEach(function (r) { if (fits(r, s, f) && val(r, f)) { seen[val(r, f)] = true; } });
    var values = Object.keys(seen).sort();
    var box = sel(f);
    var keep = s[f];
    while (box.options.length > 1) { box.remove(1); }
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v; o.textContent = v;
      box.appendChild(o);
    });
    box.value = values.indexOf(keep) >= 0 ? keep : "";
  }
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }
  function link(td, href, text) {
    td.textContent = "";
    var a = document.createElement("a");
    a.setAttribute("href", href);
    a.textContent = text;
    td.appendChild(a);
  }
  function render() {
    var s = chosen();
    fields.forEach(function (f) { options(f, s); });
    s = chosen();
    var shown = 0;
    tbody.textContent = "";
    data.forEach(function (r) {
      if (!fits(r, s, null)) { return; }
      shown++;
      var tr = document.createElement("tr");
      var name = cell(tr, r.agency || "(no agency read)");
      if (r.bodypage) { link(name, r.bodypage, r.agency || "(no agency read)"); }
      cell(tr, r.year);
      cell(tr, [r.province, r.city, r.county, r.town].filter(Boolean).join(" "));
      cell(tr, r.body);
      cell(tr, r.status, r.status === "ok" ? "" : "flagged");
      cell(tr, r.requests, "num");
      cell(tr, r.failed, r.failed ? "num flagged" : "num");
      link(cell(tr, ""), r.page, "review");
      cell(tr, r.source, "note");
      tbody.appendChild(tr);
    });
    count.textContent = shown + " / " + data.length;
    var h = new URLSearchParams();
    fields.forEach(function (f) { if (s[f]) { h.set(f, s[f]); } });
    if (q.value.trim()) { h.set("q", q.value.trim()); }
    var next = h.toString();
    if (location.hash.slice(1) !== next) { history.replaceState(null, "", next ? "#" + next : location.pathname); }
  }
  function fromHash() {
    var h = new URLSearchParams(location.hash.slice(1));
    var s = {};
    fields.forEach(function (f) { s[f] = h.get(f) || ""; });
    s.q = "";
    fields.forEach(function (f) { options(f, s); sel(f).value = s[f]; });
    q.value = h.get("q") || "";
  }
  fields.forEach(function (f) { sel(f).addEventListener("change", render); });
  q.addEventListener("input", render);
  window.addEventListener("hashchange", function () { fromHash(); render(); });
  fromHash();
  render();
})();
"""


def data_js(reports: list[Report]) -> str:
    rows = [{
        "id": r.doc_id, "agency": r.agency, "year": r.year, "status": r.status, "source": r.source,
        "province": r.province, "city": r.city, "county": r.county, "town": r.town, "body": r.body,
        "failed": r.failed_checks, "requests": r.figures.requests, "page": r.page,
        "bodypage": f"bodies/{slug(r.body_key)}.html" if r.body_key else None,
    } for r in reports]
    return script_json("NIANBAO_REPORTS", rows)


def index_page(reports: list[Report]) -> str:
    selects = "".join(f'<label>{label} <select id="f-{f}"><option value="">全部 all</option></select></label>'
                      for f, label in FILTERS)
    body = (f'<div class="filters">{selects}<label>检索 Search <input id="q" type="search" size="24" '
            f'placeholder="机关、街道、网址 body, street, URL"></label><span id="count" class="note"></span></div>\n'
            '<table id="reports"><thead><tr><th>发布机关 Body</th><th>年度</th><th>地区 Region</th><th>机关类别</th>'
            '<th>状态</th><th>新收申请</th><th>未通过校验</th><th>审阅</th><th>来源 Source</th></tr></thead>'
            '<tbody id="rows"></tbody></table>\n'
            '<noscript>The filters need JavaScript; the reports are listed on the coverage and bodies pages.</noscript>')
    return page(f"政府信息公开年度报告 {len(reports)} reports", body, "index.html", scripts=("data.js", "search.js"))
