"""HTML -> PDF with WeasyPrint: tagged PDF/UA-1, reading only allowed files."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


class LocalOnlyFetcher(URLFetcher):
    """Serves ``data:`` URLs and files under the allowed directories; refuses
    everything else without making a request (nothing is fetched)."""

    def __init__(self, allowed: list[Path]):
        super().__init__(allowed_protocols=["data", "file"])
        self.allowed = [p.resolve() for p in allowed]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path == a or a in path.parents for a in self.allowed) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        self.refused.append(url)
        raise ValueError(f"abuild does not fetch {url}")


def html_to_pdf(html: str, facts: dict, out: Path) -> None:
    fetcher = LocalOnlyFetcher([TEMPLATES])
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    doc = HTML(string=html, base_url=(TEMPLATES / "fonts").as_uri() + "/", url_fetcher=fetcher)
    ident = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    doc.write_pdf(str(out), pdf_variant="pdf/ua-1", pdf_identifier=ident, pdf_tags=True)
