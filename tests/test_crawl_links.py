"""Which links of a portal page the crawler follows: report titles, pagination, attachments."""

from __future__ import annotations

import pytest

from flows.crawl_links import Link, is_pagination, is_report_attachment, is_report_title, parse_page

LISTING = "http://www.example.gov.cn/col/nb/index.html"


@pytest.mark.parametrize("title", [
    "嘉祥县金屯镇人民政府2023年政府信息公开工作年度报告",
    "宝丰县大营镇2023年政府信息公开年度报告",
    "招远市2022年政务公开年报",
    "固阳县金山镇人民政府2024年年报",
    "北京市人民政府办公厅政府信息公开 2023 年度报告",
    "市统计局2021年度政府信息公开工作年度报告",
])
def test_annual_report_titles_are_recognised(title):
    assert is_report_title(title)


@pytest.mark.parametrize("title", [
    "关于报送2023年政府信息公开工作年度报告的通知",
    "关于2022年度政府信息公开工作年度报告检查情况的通报",
    "2023年政府信息公开工作年度报告解读",
    "关于开展2024年防汛应急演练的通知",
    "2023年度全县统计年报",
    "关于做好2023年度企业年报公示工作的公告",
    "政府信息公开指南",
])
def test_other_titles_are_not_reports(title):
    assert not is_report_title(title)


def _links(html: str, url: str = LISTING, encoding: str = "utf-8") -> list[Link]:
    return list(parse_page(html.encode(encoding), url).links)


def test_relative_links_are_resolved_and_fragments_dropped():
    [a, b, c] = _links('<a href="t2024_1.html#top">甲</a><a href="../../art/2.html">乙</a>'
                       '<a href="//files.example.gov.cn/x.pdf">丙</a><a href="javascript:void(0)">丁</a>')
    assert a.url == "http://www.example.gov.cn/col/nb/t2024_1.html"
    assert b.url == "http://www.example.gov.cn/art/2.html"
    assert c.url == "http://files.example.gov.cn/x.pdf"


def test_base_element_is_honoured():
    [a] = _links('<head><base href="http://www.example.gov.cn/other/"></head><a href="a.html">甲</a>')
    assert a.url == "http://www.example.gov.cn/other/a.html"


def test_truncated_titles_are_read_from_the_title_attribute():
    [a] = _links('<a href="a.html" title="示范县2023年政府信息公开工作年度报告">示范县2023年政府信息公开...</a>')
    assert a.text == "示范县2023年政府信息公开工作年度报告"


def test_gbk_listing_without_declared_charset_is_decoded():
    html = '<html><body><ul><li><a href="a.html">金乡县2024年政府信息公开工作年度报告</a></ul></body></html>'
    [a] = _links(html, encoding="gbk")
    assert is_report_title(a.text)


def test_broken_html_still_yields_its_links():
    html = '<div><ul><li><a href="a.html">一<li><a href="b.html">二<table><tr><td><a href=c.html>三'
    assert [link.url.rsplit("/", 1)[1] for link in _links(html)] == ["a.html", "b.html", "c.html"]


def test_unparseable_bytes_give_no_links():
    assert parse_page(b"", LISTING).links == ()


@pytest.mark.parametrize(("text", "href"), [
    ("下一页", "index_1.html"),
    ("2", "index_1.html"),
    ("尾页", "index_9.html"),
    ("3", "?page=3"),
])
def test_pagination_links_are_followed(text, href):
    [link] = _links(f'<a href="{href}">{text}</a>')
    assert is_pagination(link, LISTING)


@pytest.mark.parametrize(("text", "href"), [
    ("首页", "/index.html"),  # the site's home page, not the listing's first page
    ("2", "/col/other/index_1.html"),  # another column's pager
    ("下一页", "http://elsewhere.gov.cn/col/nb/index_1.html"),
])
def test_links_that_only_look_like_pagination_are_not(text, href):
    [link] = _links(f'<a href="{href}">{text}</a>')
    assert not is_pagination(link, LISTING)


def test_script_pager_pages_are_listed():
    page = parse_page(b'<script>createPageHTML(3, 0, "index", "html");</script>', LISTING)
    assert page.script_pages == tuple(f"http://www.example.gov.cn/col/nb/{n}" for n in
                                      ("index.html", "index_1.html", "index_2.html"))


@pytest.mark.parametrize(("text", "href"), [
    ("P020240125_001.pdf", "/files/P020240125_001.pdf"),
    ("附件：示范县2023年政府信息公开工作年度报告", "/files/a.docx"),
    ("点击下载PDF版", "/files/a.pdf"),
    ("附件一.pdf", "/files/download.jsp?id=3"),
    ("年报（压缩包）.zip", "/files/a.zip"),
    ("", "/files/a.wps"),
    ("附件：统计表.xlsx", "/files/t.xlsx"),
    ("下载OFD版", "/files/a.ofd"),
])
def test_report_attachments_are_taken(text, href):
    [link] = _links(f'<a href="{href}">{text}</a>')
    assert is_report_attachment(link)


@pytest.mark.parametrize(("text", "href"), [
    ("下载附件", "/attach/download.jsp?fileid=4"),
    ("点击下载", "/servlet/getFile?id=12"),
])
def test_a_download_link_to_an_address_without_a_file_name_is_an_attachment(text, href):
    [link] = _links(f'<a href="{href}">{text}</a>')
    assert is_report_attachment(link)


@pytest.mark.parametrize(("text", "href"), [
    ("附件2：政府信息公开申请表", "/files/form.doc"),
    ("关于印发年度工作要点的通知.pdf", "/files/b.pdf"),
    ("关于《示范县2023年政府信息公开工作年度报告》的解读.pdf", "/files/jd.pdf"),
    ("图解：2023年政府信息公开年度报告", "/files/tj.jpg"),
    ("下载", "/news/2024/art_3.html"),  # a 下载 link to a page, not to a download address
    ("示范县2023年政府信息公开工作年度报告", "/art/2024/1.html"),  # an article, not a file
])
def test_other_links_are_not_report_attachments(text, href):
    [link] = _links(f'<a href="{href}">{text}</a>')
    assert not is_report_attachment(link)


def test_frames_embeds_and_objects_are_what_the_page_shows():
    page = parse_page((b"<iframe src='content/r.html'></iframe><iframe src='about:blank'></iframe>"
                       b"<embed src='/files/a.pdf'><object data='/files/b.pdf'></object>"
                       b"<frameset><frame src='nav.html'></frameset>"), LISTING)
    assert page.frames == ("http://www.example.gov.cn/col/nb/content/r.html", "http://www.example.gov.cn/col/nb/nav.html",
                           "http://www.example.gov.cn/files/a.pdf", "http://www.example.gov.cn/files/b.pdf")


def test_a_framed_pdf_viewer_is_read_as_the_pdf_it_shows():
    page = parse_page(b"<iframe src='/pdfjs/web/viewer.html?file=%2Fupload%2F2024%2Fnb.pdf#page=1'></iframe>", LISTING)
    assert page.frames == ("http://www.example.gov.cn/upload/2024/nb.pdf",)
