"""HTML article pages: the article found inside the portal, tables with spans, charsets."""

from __future__ import annotations

import codecs

import pytest

from extractors.encoding import decode_text, join_pieces
from extractors.errors import ExtractionError
from extractors.html import decode_html, extract_html
from extractors.model import Document, Paragraph, Table


def page(article: str, *, charset: str = "utf-8", title: str = "某县人民政府") -> str:
    """A portal page around `article`: navigation, breadcrumb, headline, sidebar links, footer."""
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>
<script>var nav = "不是正文";</script><style>.x {{ color: red }}</style></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li>
<li><a href="/fw">政务服务</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="main">
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a> &gt; <a>年度报告</a></div>
<h1 class="article-title">某镇人民政府2023年政府信息公开工作年度报告</h1>
<div class="info">发布时间：2024-01-20　来源：某镇人民政府</div>
<div id="zoom"><div class="TRS_Editor">{article}</div></div>
<div class="related"><h3>相关链接</h3><ul><li><a>链接一</a></li><li><a>链接二</a></li><li><a>链接三</a></li></ul></div>
</div>
<div class="footer">主办单位：某县人民政府办公室　地址：某路一号　电话：0537-1234567　网站标识码：3708290001</div>
</body></html>"""


PROSE = """<p>　　本报告由某镇人民政府按照《条例》要求编制，内容包括总体情况、主动公开情况等六部分。</p>
<p>一、总体情况</p><p>2023年，某镇持续推进政务公开标准化规范化建设，全面提升公开质量。</p>"""

SPANNED = """<table border="1">
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系）</td><td colspan="3">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="2">法人或其他组织</td></tr>
<tr><td>商业企业</td><td>科研机构</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>5</td><td>1</td><td>0</td></tr>
</table>"""


def extract(html: str, encoding: str = "utf-8", **kw: object) -> Document:
    return extract_html(html.encode(encoding), "page.html", **kw)  # type: ignore[arg-type]


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def grid_text(table: Table) -> list[list[str]]:
    return [[c.text if c else "" for c in row] for row in table.grid()]


# --- the article inside the portal ----------------------------------------------------------------


def test_navigation_footer_and_related_links_are_left_out() -> None:
    text = extract(page(PROSE)).text()
    for boilerplate in (
        "首页",
        "政务服务",
        "当前位置",
        "相关链接",
        "链接一",
        "主办单位",
        "网站标识码",
        "不是正文",
    ):
        assert boilerplate not in text


def test_prose_comes_out_as_one_paragraph_per_line_in_order() -> None:
    paras = paragraphs(extract(page(PROSE)))
    assert paras[-3:] == [
        "本报告由某镇人民政府按照《条例》要求编制，内容包括总体情况、主动公开情况等六部分。",
        "一、总体情况",
        "2023年，某镇持续推进政务公开标准化规范化建设，全面提升公开质量。",
    ]


def test_headline_outside_the_article_container_is_kept_first() -> None:
    assert paragraphs(extract(page(PROSE)))[0] == "某镇人民政府2023年政府信息公开工作年度报告"


def test_article_without_cms_markup_is_found_by_text_density() -> None:
    html = f"""<html><body><div class="top"><a>首页</a><a>新闻</a><a>公开</a><a>服务</a></div>
<div class="wrap"><div class="left"><a>栏目一</a><a>栏目二</a><a>栏目三</a></div>
<div class="right"><h2>某镇2023年政府信息公开工作年度报告</h2><div class="box">{PROSE}</div></div></div>
<div class="bottom">版权所有：某县人民政府</div></body></html>"""
    doc = extract(html)
    assert paragraphs(doc)[0] == "某镇2023年政府信息公开工作年度报告"
    assert "一、总体情况" in paragraphs(doc)
    assert "栏目一" not in doc.text() and "版权所有" not in doc.text()


def test_page_without_any_container_falls_back_to_the_whole_body() -> None:
    doc = extract("<html><body><p>一、总体情况</p>正文一行<br>正文二行</body></html>")
    assert paragraphs(doc) == ["一、总体情况", "正文一行", "正文二行"]


def test_cms_fragment_without_html_or_body_tags_is_read() -> None:
    doc = extract(PROSE + SPANNED)
    assert "一、总体情况" in paragraphs(doc)
    assert len(tables(doc)) == 1


def test_paragraphs_and_tables_come_in_document_order() -> None:
    article = "<p>二、主动公开</p>" + SPANNED + "<p>三、申请情况</p>" + SPANNED + "<p>四、复议诉讼</p>"
    kinds = [b.text if isinstance(b, Paragraph) else "TABLE" for b in extract(page(article)).blocks]
    assert kinds[-5:] == ["二、主动公开", "TABLE", "三、申请情况", "TABLE", "四、复议诉讼"]


def test_table_far_from_the_article_text_is_not_lost() -> None:
    html = f"""<html><body><div class="content">{PROSE}{PROSE}{PROSE}</div>
<div class="attach"><p>附表</p>{SPANNED}</div><div class="footer">网站地图</div></body></html>"""
    assert len(tables(extract(html))) == 1


def test_hidden_elements_are_ignored() -> None:
    doc = extract(page(PROSE + '<p style="display: none">隐藏文字</p><div hidden>也隐藏</div>'))
    assert "隐藏" not in doc.text()


# --- tables ---------------------------------------------------------------------------------------


def test_rowspan_and_colspan_become_cell_spans() -> None:
    (table,) = tables(extract(page(SPANNED)))
    anchored = {(c.row, c.col): (c.row_span, c.col_span, c.text) for c in table.cells}
    assert anchored[(0, 0)] == (3, 3, "（本列数据的勾稽关系）")
    assert anchored[(0, 3)] == (1, 3, "申请人情况")
    assert anchored[(1, 3)] == (2, 1, "自然人")
    assert anchored[(1, 4)] == (1, 2, "法人或其他组织")
    assert anchored[(2, 4)] == (1, 1, "商业企业")
    assert anchored[(3, 0)] == (1, 3, "一、本年新收政府信息公开申请数量")
    assert [c.text for c in table.rows()[3]] == ["一、本年新收政府信息公开申请数量", "5", "1", "0"]


def test_merged_positions_hold_no_other_cell() -> None:
    (table,) = tables(extract(page(SPANNED)))
    covered = [
        (r, k)
        for c in table.cells
        for r in range(c.row, c.row + c.row_span)
        for k in range(c.col, c.col + c.col_span)
    ]
    assert len(covered) == len(set(covered)) == table.n_rows * table.n_cols


def test_br_and_p_inside_a_cell_are_joined_without_spaces_between_cjk() -> None:
    html = """<table><tr><td>本年新收政府信息<br>公开申请数量</td><td><p>（一）</p><p>予以公开</p></td></tr>
<tr><td>法人或
    其他组织</td><td>2023<br/>年</td></tr><tr><td>ICP<br>123</td><td>&nbsp;7&nbsp;</td></tr></table>"""
    (table,) = tables(extract(html))
    assert grid_text(table) == [
        ["本年新收政府信息公开申请数量", "（一）予以公开"],
        ["法人或其他组织", "2023年"],
        ["ICP 123", "7"],
    ]


def test_rowspan_beyond_the_last_row_is_clamped() -> None:
    (table,) = tables(extract("<table><tr><td rowspan='9'>甲</td><td>1</td></tr><tr><td>2</td></tr></table>"))
    assert table.n_rows == 2 and table.cells[0].row_span == 2


def test_colspan_running_into_a_rowspan_from_above_stops_there() -> None:
    html = "<table><tr><td>a</td><td rowspan='2'>b</td></tr><tr><td colspan='3'>c</td></tr></table>"
    (table,) = tables(extract(html))
    c = next(c for c in table.cells if c.text == "c")
    assert (c.row, c.col, c.col_span) == (1, 0, 1)


def test_spacer_rows_without_cells_vanish() -> None:
    (table,) = tables(
        extract("<table><tr><td>甲</td><td>1</td></tr><tr></tr><tr><td>乙</td><td>2</td></tr></table>")
    )
    assert grid_text(table) == [["甲", "1"], ["乙", "2"]]


def test_data_table_inside_a_layout_table_comes_out_as_its_own_block() -> None:
    html = f"""<table width="100%"><tr><td><p>表三 收到和处理政府信息公开申请情况</p>{SPANNED}</td></tr></table>"""
    doc = extract(html)
    (table,) = tables(doc)
    assert table.n_cols == 6 and table.n_rows == 4
    assert paragraphs(doc) == ["表三 收到和处理政府信息公开申请情况"]


def test_page_laid_out_with_tables_yields_only_the_data_table() -> None:
    html = f"""<html><body><table><tr><td><a>首页</a> <a>公开</a> <a>服务</a></td></tr>
<tr><td>{PROSE}{SPANNED}</td></tr><tr><td>版权所有 某县人民政府 地址 某路一号</td></tr></table></body></html>"""
    doc = extract(html)
    assert len(tables(doc)) == 1
    assert "一、总体情况" in paragraphs(doc)
    assert "首页" not in doc.text()


def test_table_flattened_into_paragraphs_comes_out_one_paragraph_per_cell() -> None:
    flat = "<p>信息内容</p><p>本年制发件数</p><div>规章</div><div>0</div><p>行政规范性文件</p><p>3</p>"
    doc = extract(page(flat))
    assert not tables(doc)
    assert paragraphs(doc)[-6:] == ["信息内容", "本年制发件数", "规章", "0", "行政规范性文件", "3"]


def test_caption_comes_before_its_table() -> None:
    doc = extract("<table><caption>表二 主动公开</caption><tr><td>规章</td><td>0</td></tr></table>")
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].text == "表二 主动公开"
    assert isinstance(doc.blocks[1], Table)


def test_empty_cells_are_kept_as_empty_cells() -> None:
    (table,) = tables(extract("<table><tr><td>规章</td><td>&nbsp;</td><td>3</td></tr></table>"))
    assert [c.text for c in table.rows()[0]] == ["规章", "", "3"]


# --- images ---------------------------------------------------------------------------------------


def test_images_in_the_article_are_noted_in_warnings() -> None:
    article = PROSE + '<p><img src="data:image/png;base64,iVBORw0KGgo="><img src="/upload/t3.jpg"></p>'
    warnings = extract(page(article)).warnings
    assert len(warnings) == 2
    assert "image/png" in warnings[0] and "/upload/t3.jpg" in warnings[1]


def test_icons_and_navigation_images_are_not_noted() -> None:
    html = page(PROSE + '<img src="/print.gif" width="16" height="16">').replace(
        '<li><a href="/">首页</a></li>', '<li><a href="/"><img src="/logo.png">首页</a></li>'
    )
    assert extract(html).warnings == ()


# --- charsets -------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb2312", "gbk", "gb18030"])
def test_gb_pages_decode_by_their_meta_tag(encoding: str) -> None:
    doc = extract(page(PROSE, charset=encoding), encoding)
    assert "一、总体情况" in paragraphs(doc)


def test_gbk_only_character_in_a_page_declared_gb2312_still_decodes() -> None:
    # 镕 is in GBK but not GB2312: pages that say gb2312 are decoded as gb18030
    doc = extract(page("<p>朱镕基</p>", charset="gb2312"), "gbk")
    assert paragraphs(doc)[-1] == "朱镕基"


def test_utf8_page_with_a_stale_gb2312_meta_tag_decodes_as_utf8() -> None:
    assert paragraphs(extract(page(PROSE, charset="gb2312"), "utf-8"))[-2] == "一、总体情况"


def test_gbk_page_without_any_declaration_is_detected() -> None:
    html = "<html><body><p>一、总体情况</p><p>本年度共收到申请五件，均已按时办结。</p></body></html>"
    assert paragraphs(extract(html, "gbk"))[0] == "一、总体情况"


def test_utf8_bom_wins_over_a_wrong_meta_tag() -> None:
    data = codecs.BOM_UTF8 + page(PROSE, charset="gbk").encode("utf-8")
    assert "一、总体情况" in paragraphs(extract_html(data, "page.html"))


def test_http_header_charset_is_trusted_before_the_meta_tag() -> None:
    html = "<html><head><meta charset='utf-8'></head><body><p>一、总体情况</p></body></html>"
    doc = extract_html(html.encode("gbk"), "p.html", content_type="text/html; charset=GBK")
    assert paragraphs(doc) == ["一、总体情况"]


def test_wrong_http_header_charset_falls_back_to_the_meta_tag() -> None:
    html = "<html><head><meta charset='gbk'></head><body><p>一、总体情况</p></body></html>"
    assert "一、总体情况" in decode_html(html.encode("gbk"), content_type="text/html; charset=utf-8")


def test_decode_text_prefers_bom_then_declared_then_utf8_then_gb18030() -> None:
    assert decode_text(codecs.BOM_UTF8 + "年报".encode()) == "年报"
    assert decode_text("年报".encode("gbk"), "gb2312") == "年报"
    assert decode_text("年度报告".encode()) == "年度报告"
    assert decode_text("政府信息公开工作年度报告".encode("gb18030")) == "政府信息公开工作年度报告"


def test_join_pieces_keeps_spaces_only_between_non_cjk_pieces() -> None:
    assert join_pieces(["法人或", "其他组织"]) == "法人或其他组织"
    assert join_pieces(["12", "34"]) == "12 34"
    assert join_pieces(["（二）", "", "部分公开"]) == "（二）部分公开"


# --- bad input ------------------------------------------------------------------------------------


def test_page_without_text_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        extract("<html><body><div></div></body></html>")


def test_menu_laid_out_as_a_table_of_links_is_left_out() -> None:
    menu = "<table><tr><td><a>首页</a></td><td><a>政务公开</a></td><td><a>办事服务</a></td></tr></table>"
    doc = extract(f"<html><body>{menu}{PROSE}{SPANNED}</body></html>")
    assert len(tables(doc)) == 1
    assert "办事服务" not in doc.text()


def test_unclosed_tags_nested_a_thousand_deep_lose_no_text() -> None:
    html = "<html><body>" + "<font>字" * 1500 + "<p>一、总体情况</p></body></html>"
    assert paragraphs(extract(html))[-1] == "一、总体情况"


def test_table_with_a_long_note_in_one_cell_stays_a_table() -> None:
    note = "注：" + "本表数据统计口径为本机关全年收到的全部政府信息公开申请，含网络、信函、当面提交。" * 20
    html = f"<table><tr><td>规章</td><td>3</td></tr><tr><td colspan='2'>{note}</td></tr></table>"
    (table,) = tables(extract(html))
    assert table.n_rows == 2


def test_table_boxing_a_whole_article_is_read_as_paragraphs() -> None:
    prose = "".join(
        f"<p>第{i}段：某镇持续推进政务公开标准化规范化建设，全面提升公开质量和实效。</p>" for i in range(20)
    )
    doc = extract(f"<table><tr><td>{prose}</td><td>侧栏</td></tr></table>")
    assert not tables(doc)
    assert paragraphs(doc)[:2] == [
        "第0段：某镇持续推进政务公开标准化规范化建设，全面提升公开质量和实效。",
        "第1段：某镇持续推进政务公开标准化规范化建设，全面提升公开质量和实效。",
    ]
