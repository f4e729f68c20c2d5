"""One document through the pipeline as plain functions: detect -> extract -> reconcile -> check.

The Prefect flows (flows/flows.py) run these as tasks; tests and workers can call them directly.
Whatever goes wrong with one document becomes its status and a one-line reason, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extractors.detect import detect_format
from extractors.errors import ExtractionError
from extractors.model import Document
from extractors.reconcile import reconcile
from extractors.report import Check, Report
from extractors.template import Template
from flows.settings import MAX_PAGES
from warehouse.load import Loaded, doc_id_of

# The status of a web page whose report sits behind a link or in a frame that could not be followed
# (flows/follow.py): `error` names the target and why.
BEHIND_LINK = "behind_link"
PageMeta = tuple["str | None", "int | None"]  # agency and year of the page that linked a document

_SUFFIX = {"pdf": ".pdf", "html": ".html", "docx": ".docx", "doc": ".doc", "wps": ".wps", "odt": ".odt",
           "rtf": ".rtf", "text": ".txt", "image": ".img", "zip": ".zip", "xlsx": ".xlsx", "xls": ".xls",
           "ods": ".ods", "ofd": ".ofd"}


@dataclass(frozen=True)
class Processed:
    loaded: Loaded
    report: Report | None
    checks: list[Check]

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.passed and c.rule_id != "missing_cells"]

    def summary(self) -> str:
        if self.loaded.status == "skipped":
            return f"{self.loaded.source}: skipped, already loaded by this pipeline version"
        if self.loaded.status == "failed":
            return f"{self.loaded.source}: FAILED {self.loaded.error}"
        if self.loaded.status == BEHIND_LINK:
            return f"{self.loaded.source}: {BEHIND_LINK}, {self.loaded.error}"
        r = self.report
        cells = sum(1 for f in r.facts if f.method != "inferred") if r else 0
        failed = ", ".join(sorted({c.rule_id for c in self.failed_checks})) or "none"
        meta = f"{r.agency or '?'} {r.year or '?'}" if r else "?"
        via = f" (read from {self.loaded.followed_url})" if self.loaded.followed_url else ""
        return f"{self.loaded.source}: {self.loaded.status}, {meta}, {cells} cells read, checks failed: {failed}{via}"


def suffix_of(fmt: str) -> str:
    return _SUFFIX.get(fmt, ".bin")


def extract_document(data: bytes, source: str, max_pages: int = MAX_PAGES,
                     resolve: Callable[[str], bytes | None] | None = None, fmt: str | None = None) -> Document:
    from extractors.dispatch import extract

    fmt = fmt or detect_format(data, source)
    if fmt == "pdf":
        _check_page_count(data, max_pages)
    return extract(data, source, resolve, fmt)


def _check_page_count(data: bytes, max_pages: int) -> None:
    """A PDF claiming thousands of pages would hold a worker for hours: refuse it before reading.
    Counting pages reads only the page tree; a PDF pdfium cannot open is left to the extractor,
    which says what is wrong with it."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001
        return
    try:
        n = len(pdf)
    finally:
        pdf.close()
    if n > max_pages:
        raise ExtractionError(f"too many pages ({n}, limit {max_pages})")


def reconcile_document(doc: Document) -> Report:
    """reconcile() with the bundled template: a worker process calls it without shipping the template."""
    from extractors.template import load_template

    return reconcile(doc, load_template())


def check_report(report: Report, template: Template) -> list[Check]:
    from extractors.checks import check_report as checks_of

    return checks_of(report, template)


def skipped(source: str, doc_id: str) -> Processed:
    """Not processed: the same bytes were already loaded by this pipeline version."""
    return Processed(Loaded(doc_id, source, "skipped"), None, [])


def failed(source: str, data: bytes | None, reason: str, fmt: str | None = None) -> Processed:
    doc_id = doc_id_of(data) if data else doc_id_of(source.encode())
    return Processed(Loaded(doc_id, source, "failed", fmt, error=reason, size_bytes=len(data or b"")), None, [])


def process_bundled(data: bytes, source: str, page: PageMeta | None = None) -> Processed:
    """process() with the bundled template: what a worker process runs for one document (the
    Document itself never leaves the worker)."""
    from extractors.template import load_template

    return process(data, source, load_template(), page=page)


def process(data: bytes, source: str, template: Template,
            resolve: Callable[[str], bytes | None] | None = None, page: PageMeta | None = None) -> Processed:
    """Everything but loading; exceptions of any extractor become a failed status. `resolve`
    fetches what a web page links to (pictures of the report pasted into an article); `page` is the
    agency and year of the web page that linked or framed this document, where it was followed
    from one (flows/follow.py), for what the document's own title leaves open."""
    fmt = detect_format(data, source)
    if fmt == "empty":
        return failed(source, data, "empty file", fmt)

    def read() -> Processed:
        doc = extract_document(data, source, resolve=resolve, fmt=fmt)
        report = reconcile(doc, template, page)
        return processed_of(data, source, doc, report, check_report(report, template))

    return guarded(data, source, fmt, read)


def guarded(data: bytes, source: str, fmt: str | None, read: Callable[[], Processed]) -> Processed:
    """Whatever goes wrong reading one document becomes its failed status and a one-line reason."""
    try:
        return read()
    except ExtractionError as e:
        return failed(source, data, str(e), fmt)
    except MemoryError:
        return failed(source, data, "out of memory while reading", fmt)
    except Exception as e:  # noqa: BLE001 - a bug or a library failing on odd input: name it, go on
        return failed(source, data, f"unexpected {type(e).__name__}: {str(e)[:200]}", fmt)


def processed_of(data: bytes, source: str, doc: Document, report: Report, checks: list[Check]) -> Processed:
    status = "ok" if report.facts else "no_template_tables" if report.template_version else "old_format"
    loaded = Loaded(doc_id_of(data), source, status, doc.format, doc.method, doc.pages, size_bytes=len(data))
    return Processed(loaded, report, checks)
