"""Fetching one URL for `nianbao ingest URL` (the crawler has its own polite fetcher)."""

from __future__ import annotations

from flows.fetch import MAX_BYTES, Input

USER_AGENT = "nianbao/0.1 (+https://github.com/nianbao; annual-report research crawler)"


def fetch_url(url: str, timeout: float = 30.0) -> Input:
    import httpx

    try:
        with httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
            with client.stream("GET", url) as r:
                if r.status_code >= 400:
                    return Input(url, None, f"HTTP {r.status_code}")
                chunks: list[bytes] = []
                total = 0
                for chunk in r.iter_bytes():
                    total += len(chunk)
                    if total > MAX_BYTES:
                        return Input(url, None, f"larger than {MAX_BYTES // 2**20} MiB")
                    chunks.append(chunk)
                return Input(url, b"".join(chunks))
    except httpx.HTTPError as e:
        return Input(url, None, f"fetch failed: {type(e).__name__}: {e}")
