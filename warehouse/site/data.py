"""What the site shows, read from the warehouse once: every report with its place, body and key
figures. Everything here is as the documents printed it: untrusted text, escaped where it is shown."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb

# the figures the trends and the search page show, per report
_FIGURES = """
SELECT doc_id,
    max(value) FILTER (WHERE table_id = 'applications' AND row_id = 'new_received' AND col_id = 'total') AS requests,
    max(value) FILTER (WHERE table_id = 'applications' AND row_id = 'total_processed' AND col_id = 'total') AS processed,
    max(value) FILTER (WHERE table_id = 'applications' AND row_id = 'granted' AND col_id = 'total') AS granted,
    max(value) FILTER (WHERE table_id = 'applications' AND row_id = 'partially_granted' AND col_id = 'total') AS partial,
    sum(value) FILTER (WHERE table_id = 'applications' AND starts_with(row_id, 'withheld_') AND col_id = 'total') AS withheld,
    sum(value) FILTER (WHERE table_id = 'applications' AND starts_with(row_id, 'unavailable_') AND col_id = 'total') AS unavailable,
    sum(value) FILTER (WHERE table_id = 'applications' AND starts_with(row_id, 'not_processed_') AND col_id = 'total') AS not_processed,
    sum(value) FILTER (WHERE table_id = 'applications' AND starts_with(row_id, 'other_') AND col_id = 'total') AS other,
    max(value) FILTER (WHERE table_id = 'review_litigation' AND row_id = 'administrative_review' AND col_id = 'total') AS reviews,
    sum(value) FILTER (WHERE table_id = 'review_litigation' AND starts_with(row_id, 'litigation_') AND col_id = 'total') AS suits,
    max(value) FILTER (WHERE table_id = 'active_disclosure' AND row_id = 'administrative_fees' AND col_id = 'amount') AS fees
FROM facts GROUP BY doc_id
"""

_REPORTS = f"""
SELECT p.doc_id, p.agency, p.year, p.status, p.source, p.province, p.city, p.county, p.town, g.body,
    coalesce(p.agency_key, 'name:' || p.agency) AS body_key, coalesce(p.n_failed_checks, 0), p.error,
    f.requests, f.processed, f.granted, f.partial, f.withheld, f.unavailable, f.not_processed, f.other,
    f.reviews, f.suits, f.fees,
    -- the one report the trends and the matrix use where a body has several for a year
    row_number() OVER (PARTITION BY coalesce(p.agency_key, 'name:' || p.agency), p.year
                       ORDER BY p.status = 'ok' DESC, p.n_facts DESC NULLS LAST, p.ingested_at DESC) = 1 AS chosen
FROM reports p LEFT JOIN regions g USING (doc_id) LEFT JOIN ({_FIGURES}) f USING (doc_id)
ORDER BY p.province NULLS LAST, p.city NULLS LAST, p.county NULLS LAST, p.agency NULLS LAST, p.year, p.doc_id
"""

OUTCOMES = (("granted", "予以公开"), ("partial", "部分公开"), ("withheld", "不予公开"), ("unavailable", "无法提供"),
            ("not_processed", "不予处理"), ("other", "其他处理"))


@dataclass(frozen=True)
class Figures:
    requests: float | None
    processed: float | None
    granted: float | None
    partial: float | None
    withheld: float | None
    unavailable: float | None
    not_processed: float | None
    other: float | None
    reviews: float | None
    suits: float | None
    fees: float | None

    def share(self, outcome: str) -> float | None:
        """The outcome's share of the requests processed (None where the report gives no total)."""
        value = getattr(self, outcome)
        if not self.processed or value is None:
            return None
        return float(value) / float(self.processed)


@dataclass(frozen=True)
class Report:
    doc_id: str
    agency: str | None
    year: int | None
    status: str
    source: str
    province: str | None
    city: str | None
    county: str | None
    town: str | None
    body: str | None
    body_key: str | None
    failed_checks: int
    error: str | None
    figures: Figures
    chosen: bool  # the body's report for its year (several copies of one report: the best read)

    @property
    def page(self) -> str:
        """Its review page, relative to the site's root."""
        return f"reports/{self.doc_id}.html"


def slug(key: str) -> str:
    """A file name for a body or region: never the untrusted name itself."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def load_reports(con: duckdb.DuckDBPyConnection) -> list[Report]:
    out = []
    for r in con.execute(_REPORTS).fetchall():
        out.append(Report(*r[:13], Figures(*r[13:24]), bool(r[24])))  # type: ignore[arg-type,call-arg]
    return out
