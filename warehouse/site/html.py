"""The pages' common parts: escaping, the layout with its navigation, the style sheet. Every text
that came from a document, a URL or a crawl goes through `e` (or `textContent` in the scripts)."""

from __future__ import annotations

import html
import json

NAV = (("index.html", "报告检索 Reports"), ("coverage.html", "覆盖情况 Coverage"),
       ("problems.html", "问题清单 Problems"), ("trends.html", "趋势 Trends"), ("bodies.html", "机关 Bodies"))

CSS = """
body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; margin: 0; color: #222; background: #fff; }
header { background: #24476b; color: #fff; padding: 10px 20px; }
header a { color: #fff; margin-right: 18px; text-decoration: none; }
header a.here { border-bottom: 2px solid #ffd34d; }
header .brand { font-weight: bold; margin-right: 30px; }
main { padding: 14px 20px; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #ccd; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #eef1f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 12px; }
.filters label { font-size: 13px; }
.note { color: #666; font-size: 13px; }
.gap { background: #f7c6c6; color: #a00; text-align: center; }
.ok { background: #c9ecc9; text-align: center; }
.unread { background: #ffe7a8; text-align: center; }
.flagged { background: #ffe7a8; }
.changed { background: #fff1b8; }
.up::after { content: " ▲"; color: #1a7f37; }
.down::after { content: " ▼"; color: #c62828; }
.matrix td, .matrix th { font-size: 13px; padding: 2px 6px; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 8px; border: 1px solid #ccd; }
details { margin: 6px 0; }
summary { cursor: pointer; }
figure { margin: 8px 0 20px; }
figure img { max-width: 100%; border: 1px solid #dde; }
"""


def e(value: object) -> str:
    """Text for HTML, quotes included (safe in attributes too)."""
    return html.escape("" if value is None else str(value), quote=True)


def num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    if digits == 0 and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits or 2}f}"


def script_json(name: str, value: object) -> str:
    """A script setting window.<name> to value: JSON with <, > and & escaped, so no text in it can
    close the script element or start markup."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{name} = {text};\n"


def page(title: str, body: str, here: str, depth: int = 0, scripts: tuple[str, ...] = ()) -> str:
    """A whole page; depth: how many folders below the site's root it sits (for its links)."""
    up = "../" * depth
    here_class = ' class="here"'
    nav = "".join(f'<a href="{up}{href}"{here_class if href == here else ""}>{e(label)}</a>' for href, label in NAV)
    tags = "".join(f'<script src="{up}{s}"></script>' for s in scripts)
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="stylesheet" href="{up}style.css"></head>\n<body><header><span class="brand">nianbao 年报</span>'
            f"{nav}</header>\n<main>\n<h1>{e(title)}</h1>\n{body}\n</main>\n{tags}</body></html>\n")
