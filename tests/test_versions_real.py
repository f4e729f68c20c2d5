"""The 2019 format as real reports print it: the tables of published 2019 and 2020 reports, their row
and column wording as printed and their numbers as gold.

Sources (the tables are rebuilt here from them; nothing else of the reports is copied):
- 2019年上海市人民政府办公厅政府信息公开工作年度报告 (www.shanghai.gov.cn, 发布日期 2020-01-31): its HTML
  as copied into a JS data file of a public GitHub repository (the code search's stored file
  18090078150; the search does not name the repository). 表二, 表三 and 表四 with the rowspans, colspans
  and blank cells of the page.
- 武汉市生态环境局2020年政府信息公开工作年度报告, as mirrored (in traditional characters, 文件 turned
  into 檔案) at https://newton.com.tw/wiki/%E6%AD%A6%E6%BC%A2%E5%B8%82%E7%94%9F%E6%85%8B%E7%92%B0%E5%A2%83%E5%B1%802020%E5%B9%B4%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E9%96%8B%E5%B7%A5%E4%BD%9C%E5%B9%B4%E5%BA%A6%E5%A0%B1%E5%91%8A/63726324:
  表二 as Hubei's reports printed it, labels carrying the province's notes in brackets and a row the
  format does not have (其他主动公开文件), written back in simplified characters.
"""

from __future__ import annotations

from extractors.checks import check_report
from extractors.html import extract_html
from extractors.reconcile import reconcile
from extractors.template import load_template

T19 = load_template("2019")


def _td(text: str, span: str = "") -> str:
    return f"<td{span}><p>{text if text else '&nbsp;'}</p></td>"


def _row(label_cells: str, numbers: list[str]) -> str:
    return "<tr>" + label_cells + "".join(_td(n) for n in numbers) + "</tr>"


# ---- 2019年上海市人民政府办公厅 (2019 format) ----------------------------------------------------------

SH_T2 = [
    ("第二十条第（一）项", ["信息内容", "本年新<br />制作数量", "本年新<br />公开数量", "对外公开总数量"],
     [("规章", ["13", "13", "524"]), ("规范性文件", ["60", "60", "368"])]),
    ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
     [("行政许可", ["0", "0", "0"]), ("其他对外管理服务事项", ["0", "0", "0"])]),
    ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
     [("行政处罚", ["0", "0", "0"]), ("行政强制", ["0", "0", "0"])]),
    ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"], [("行政事业性收费", ["0", "0"])]),
    ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"], [("政府集中采购", ["6", "251000元"])]),
]
_ = ""
# 表三 rows: (label cells as printed, the seven numbers; blank where the page leaves the cell empty)
SH_T3 = [
    ("一、本年新收政府信息公开申请数量", ["821", "35", _, _, "2", "1", "859"]),
    ("二、上年结转政府信息公开申请数量", ["18", _, _, _, _, _, "18"]),
    ("（一）予以公开", ["258", "12", _, _, "1", "1", _]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ["3", _, _, _, _, _, _]),
    ("1.属于国家秘密", ["14", _, _, _, _, _, _]),
    ("2.其他法律行政法规禁止公开", [_] * 7),
    ("3.危及“三安全一稳定”", [_] * 7),
    ("4.保护第三方合法权益", [_] * 7),
    ("5.属于三类内部事务信息", ["5", _, _, _, _, _, _]),
    ("6.属于四类过程性信息", ["3", "1", _, _, _, _, _]),
    ("7.属于行政执法案卷", [_] * 7),
    ("8.属于行政查询事项", ["10", "2", _, _, _, _, _]),
    ("1.本机关不掌握相关政府信息", ["252", "12", _, _, "1", _, _]),
    ("2.没有现成信息需要另行制作", ["44", "3", _, _, _, _, _]),
    ("3.补正后申请内容仍不明确", ["25", _, _, _, _, _, _]),
    ("1.信访举报投诉类申请", ["148", "1", _, _, _, _, _]),
    ("2.重复申请", ["5", "4", _, _, _, _, _]),
    ("3.要求提供公开出版物", [_] * 7),
    ("4.无正当理由大量反复申请", [_] * 7),
    ("5.要求行政机关确认或重新出具已获取信息", [_] * 7),
    ("（六）其他处理", [_] * 7),
    ("（七）总计", ["767", "35", _, _, "2", "1", "805"]),
    ("四、结转下年度继续办理", ["72", _, _, _, _, _, "72"]),
]
SH_T4 = ["5", _, _, "2", "7", "8", _, _, "1", "9", _, _, _, _, _]


def shanghai_2019() -> bytes:
    t2 = []
    for head, cols, rows in SH_T2:
        t2.append(f'<tr>{_td(head, " colspan=5")}</tr>')
        t2.append("<tr>" + _td(cols[0]) + "".join(
            _td(c, " colspan=2" if k == 1 and len(cols) == 4 else "") for k, c in enumerate(cols[1:], 1)) + "</tr>")
        for label, nums in rows:
            t2.append("<tr>" + _td(label) + "".join(_td(n) for n in nums) + "</tr>")
    t3 = [(f'<tr>{_td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", " colspan=3 rowspan=3")}'
          f'{_td("申请人情况", " colspan=7")}</tr>'),
          f'<tr>{_td("自然人", " rowspan=2")}{_td("法人或其他组织", " colspan=5")}{_td("总计", " rowspan=2")}</tr>',
          "<tr>" + "".join(_td(c) for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")) + "</tr>"]
    groups = {4: ("（三）不予公开", 8), 12: ("（四）无法提供", 3), 15: ("（五）不予处理", 5)}
    for i, (label, nums) in enumerate(SH_T3):
        if i in (0, 1, 22):
            cells = _td(label, " colspan=3")
        elif i in groups:
            cells = _td(groups[i][0], f" rowspan={groups[i][1]}") + _td(label)
        elif 4 <= i <= 19:
            cells = _td(label)
        else:
            cells = _td(label, " colspan=2")
        if i == 2:
            cells = _td("三、本年度办理结果", " rowspan=20") + cells
        t3.append(_row(cells, nums))
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    t4 = [f'<tr>{_td("行政复议", " colspan=5")}{_td("行政诉讼", " colspan=10")}</tr>',
          "<tr>" + "".join(_td(h, " rowspan=2") for h in heads)
          + _td("未经复议直接起诉", " colspan=5") + _td("复议后起诉", " colspan=5") + "</tr>",
          "<tr>" + "".join(_td(h) for h in heads * 2) + "</tr>",
          "<tr>" + "".join(_td(n) for n in SH_T4) + "</tr>"]
    table = '<table border="1">{}</table>'
    return ("<html><head><meta charset='utf-8'><title>2019年上海市人民政府办公厅政府信息公开工作年度报告</title></head>"
            "<body><div id='zoom'><p style='text-align:center'>2019年上海市人民政府办公厅政府信息公开工作年度报告</p>"
            "<p>本年度报告中所列数据统计期限从2019年1月1日到12月31日止。</p><p>一、总体情况</p>"
            "<p>2019年，上海市人民政府办公厅坚持以习近平新时代中国特色社会主义思想为指导。</p>"
            "<p>二、主动公开政府信息情况</p>" + table.format("".join(t2))
            + "<p>三、收到和处理政府信息公开申请情况</p>" + table.format("".join(t3))
            + "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + table.format("".join(t4))
            + "<p>五、政府信息公开工作存在的主要问题及改进情况</p><p>无。</p></div></body></html>").encode()


def shanghai_gold() -> dict[str, float]:
    gold: dict[str, float] = {}
    t2_ids = [("regulations", ("issued", "published_new", "published_total")),
              ("normative_documents", ("issued", "published_new", "published_total")),
              ("administrative_licensing", ("previous_year_items", "change", "decisions")),
              ("other_management_services", ("previous_year_items", "change", "decisions")),
              ("administrative_penalty", ("previous_year_items", "change", "decisions")),
              ("administrative_coercion", ("previous_year_items", "change", "decisions")),
              ("administrative_fees", ("previous_year_items", "change")),
              ("government_procurement", ("items", "amount"))]
    printed = [n for _, _, rows in SH_T2 for _, nums in rows for n in nums]
    cells = [(r, c) for r, cols in t2_ids for c in cols]
    for (r, c), n in zip(cells, printed, strict=True):
        gold[f"active_disclosure.{r}.{c}"] = float(n.removesuffix("元"))
    apps = T19.table("applications")
    for row, (_, nums) in zip([r for r in apps.rows], SH_T3, strict=True):
        for col, n in zip(apps.cols, nums, strict=True):
            if n:
                gold[f"applications.{row.id}.{col}"] = float(n)
    rl = T19.table("review_litigation")
    for k, n in enumerate(SH_T4):
        if n:
            gold[f"review_litigation.{rl.rows[k // 5].id}.{rl.cols[k % 5]}"] = float(n)
    return gold


def test_a_real_2019_report_reads_every_printed_cell_of_the_2019_format_and_no_blank():
    report = reconcile(extract_html(shanghai_2019(), "shanghai_2019.html"))
    assert (report.agency, report.year, report.template_version) == ("上海市人民政府办公厅", 2019, "2019")
    read = {f.cell_id: f for f in report.facts if f.method != "inferred"}
    gold = shanghai_gold()
    assert {k: f.value for k, f in read.items() if k != "active_disclosure.government_procurement.amount"} == {
        k: v for k, v in gold.items() if k != "active_disclosure.government_procurement.amount"}
    amount = read["active_disclosure.government_procurement.amount"]
    assert amount.raw_text == "251000元"  # kept as printed, with its unit
    failed = {c.rule_id for c in check_report(report, T19) if not c.passed}
    # the report leaves most totals and zeros blank: no rule fails on what it prints
    assert failed == {"missing_cells"}


# ---- 武汉市生态环境局 2020 (2019 format, Hubei's notes in the labels) -------------------------------------

WH_T2 = [
    ("第二十条第（一）项", None),
    ("信息内容", ["本年新制作数量", "本年新公开数量", "对外公开总数量"]),
    ("规章（设区的市、自治州人民政府应提供相关数据）", ["0", "0", "0"]),
    (("规范性文件（行政机关制定发布的决定、公告、通告、意见、通知，以及标题采用“规定”“办法”“细则”“规范”"
     "“规程”“规则”等字样的公文，一般情况下属于规范性文件）"), ["2", "2", "19"]),
    (("其他主动公开文件（含以本单位或本单位办公室名义正式签发的、除规范性文件以外的主动公开文件，"
     "可参考本单位政府信息公开平台“其他主动公开文件”栏目数据）"), ["186", "86", "255"]),
    ("第二十条第（五）项", None),
    ("信息内容", ["上一年项目数量（指2019年事项数）", "本年增/减（指2020年增加或减少的事项数，减用负值表示，如-8）",
              "处理决定数量（指2020年办件量）"]),
    ("行政许可", ["8", "5", "93"]),
    (("其他对外管理服务事项（指行政许可证以外的政务服务事项，含行政确认、行政奖励、行政裁决、行政给付、行政处罚、"
     "行政强制、行政检查、行政征收和其他类，以及公共服务事项）"), ["117", "0", "165"]),
    ("第二十条第（六）项", None),
    ("信息内容", ["上一年项目数量（指2019年事项数）", "本年增/减（指2020年增加或减少的事项数，减用负值表示，如-8）",
              "处理决定数量（指2020年办件量）"]),
    ("行政处罚", ["90", "0", "22"]),
    ("行政强制", ["4", "4", "-"]),
]


def wuhan_2020() -> bytes:
    rows = []
    for label, cells in WH_T2:
        if cells is None:
            rows.append(f"<tr>{_td(label, ' colspan=4')}</tr>")
        else:
            rows.append("<tr>" + _td(label) + "".join(_td(c) for c in cells) + "</tr>")
    return ("<html><head><meta charset='utf-8'></head><body><div id='zoom'>"
            "<p>武汉市生态环境局2020年政府信息公开工作年度报告</p>"
            "<p>根据有关要求，现将我局2020年度政府信息公开情况报告如下。</p>"
            "<p>二、主动公开政府信息情况</p><table border='1'>" + "".join(rows) + "</table>"
            "<p>五、政府信息公开工作存在的主要问题及改进情况</p></div></body></html>").encode()


def test_a_real_2020_report_with_the_provinces_notes_in_its_labels_and_a_row_of_its_own():
    report = reconcile(extract_html(wuhan_2020(), "wuhan_2020.html"))
    assert (report.year, report.template_version) == (2020, "2019")
    read = {f.cell_id: f.value for f in report.facts if f.method != "inferred"}
    doubted = {cell for cell, _ in report.doubts}
    t2 = {k: v for k, v in read.items() if k.startswith("active_disclosure.") and k not in doubted}
    assert t2 == {
        "active_disclosure.regulations.issued": 0, "active_disclosure.regulations.published_new": 0,
        "active_disclosure.regulations.published_total": 0,
        "active_disclosure.normative_documents.issued": 2, "active_disclosure.normative_documents.published_new": 2,
        "active_disclosure.normative_documents.published_total": 19,
        "active_disclosure.administrative_licensing.previous_year_items": 8,
        "active_disclosure.administrative_licensing.change": 5,
        "active_disclosure.administrative_licensing.decisions": 93,
        "active_disclosure.other_management_services.previous_year_items": 117,
        "active_disclosure.other_management_services.change": 0,
        "active_disclosure.other_management_services.decisions": 165,
        "active_disclosure.administrative_penalty.previous_year_items": 90,
        "active_disclosure.administrative_penalty.change": 0,
        "active_disclosure.administrative_penalty.decisions": 22,
        "active_disclosure.administrative_coercion.previous_year_items": 4,
        "active_disclosure.administrative_coercion.change": 4,
    }
    # 其他主动公开文件 (186 86 255) is no row of the template: never read into 规范性文件
    assert not {k for k in read if k.startswith("active_disclosure.")} - set(t2) - doubted
