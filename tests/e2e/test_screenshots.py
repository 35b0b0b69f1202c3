"""Screenshots of the main pages at desktop and phone widths, and a check that nothing spills sideways.

The pictures go to a temporary folder; with EXCHANGE_SCREENSHOTS_DIR=docs/screenshots they
refresh the ones the README shows (e.g. ``EXCHANGE_SCREENSHOTS_DIR=docs/screenshots make test``).
"""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, sideways_overflow

pytestmark = pytest.mark.e2e

# name, address, who looks, and whether the whole page is worth showing
SHOTS = [
    ("home", "/", None, False),
    ("article", "/articles/lakeland-open-data-api", None, False),
    ("search", "/search?q=social+media", None, False),
    ("search-corrected", "/search?q=opne+data", None, False),
    ("search-nothing", "/search?q=zeppelin+mooring", None, False),
    ("search-help", "/search/help", None, True),
    ("admin", "/admin/", "admin", False),
    ("challenges-list", "/challenges", None, False),
    ("challenges-page", "/challenges/weekend-questions-on-social-media", None, True),
    ("about", "/about", None, True),
    ("how-it-works", "/about/how-it-works", None, False),
    ("comment-rules", "/about/comment-rules", None, False),
    ("accessibility", "/about/accessibility", None, False),
    ("privacy", "/about/privacy", None, False),
    ("contact", "/about/contact", None, True),
]
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name, path, who, full", SHOTS, ids=[shot[0] for shot in SHOTS])
def test_screenshot_and_no_sideways_scrolling(name, path, who, full, width, contexts, world, folder):
    person = {"admin": world.admin}.get(who)
    page = contexts(person.email if person else None, viewport=WIDTHS[width]).new_page()
    response = page.goto(path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    spilled = sideways_overflow(page)
    assert not spilled, f"{path} at {width} width is wider than the window: {spilled}"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTHS[width]["width"], f"{path} scrolls sideways at {width} width"
    shot = folder / f"{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=full, animations="disabled", caret="hide")
    assert shot.stat().st_size > 5_000
