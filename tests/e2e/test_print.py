"""An article prints cleanly: no navigation, forms or side panels, links written out, tables whole."""
import os

import pytest

from tests.e2e.conftest import DESKTOP, ROOT

pytestmark = pytest.mark.e2e

ARTICLE = "/articles/bellmont-land-records-transcription"  # a starter case study with a results table and links


def _shown(page, selector) -> bool:
    return page.evaluate(f"""() => [...document.querySelectorAll({selector!r})]
        .some(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0)""")


def test_an_article_prints_without_navigation_and_with_links_as_text(contexts, tmp_path):
    page = contexts(viewport=DESKTOP).new_page()
    assert page.goto(ARTICLE).status == 200
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".article-layout > aside", "#page-feedback", "form"):
        assert not _shown(page, hidden), f"{hidden} shows in print"
    assert _shown(page, ".prose") and _shown(page, ".prose table")
    written_out = page.evaluate("""() => [...document.querySelectorAll('.prose a[href]')]
        .map(a => getComputedStyle(a, '::after').content).filter(c => c && c !== 'none' && c !== '""')""")
    assert written_out and all("(" in text for text in written_out), written_out
    table = page.locator(".prose table").first.bounding_box()
    assert table["x"] + table["width"] <= DESKTOP["width"]  # the whole table on the page, not cut at its edge
    folder = ROOT / os.environ["EXCHANGE_SCREENSHOTS_DIR"] if os.environ.get("EXCHANGE_SCREENSHOTS_DIR") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "article-print.png"), full_page=True, animations="disabled")
