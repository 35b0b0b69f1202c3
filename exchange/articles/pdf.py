"""An article as a PDF for a briefing note: its print view, typeset by WeasyPrint.

WeasyPrint needs Pango (and HarfBuzz, fontconfig) from the operating system. Where they are
missing the import fails; ``available()`` then says so and the site offers the print view instead.
Only the site's own stylesheets are read while typesetting: nothing is fetched from the network.
"""
import logging
from functools import cache
from pathlib import Path

log = logging.getLogger("exchange.articles")
STATIC = Path(__file__).resolve().parent.parent / "static"


@cache
def _weasyprint():
    """The WeasyPrint module, or None when it or its system libraries cannot be loaded (once per process)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the package is there, Pango is not
        log.warning("PDFs are off (WeasyPrint cannot be loaded: %s); the print view is offered instead", error)
        return None
    # On every PDF it would log each screen-only CSS rule it skips and each image we do not fetch.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    return weasyprint


def available() -> bool:
    """Whether this server can make PDFs."""
    return _weasyprint() is not None


def _static_file(url: str) -> Path:
    """The site's static file a URL names; ValueError for anything else (nothing else is fetched)."""
    marker = "/static/"
    if marker in url:
        wanted = (STATIC / url.split(marker, 1)[1].split("?", 1)[0].split("#", 1)[0]).resolve()
        if wanted.is_relative_to(STATIC) and wanted.is_file():
            return wanted
    raise ValueError(f"not fetched while making a PDF: {url}")


MIME = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


def _fetcher(weasyprint):
    """A URL fetcher that reads the site's static files from disk and refuses everything else."""

    class StaticOnly(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_file(url)
            return weasyprint.urls.URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": MIME.get(path.suffix, "application/octet-stream")})

    return StaticOnly()


def render(html: str, base_url: str) -> bytes:
    """The PDF of a print view's HTML (call only when ``available()``)."""
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_fetcher(weasyprint)).write_pdf()
