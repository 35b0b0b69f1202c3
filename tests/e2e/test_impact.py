"""Impact pages in a real browser: axe-core finds nothing, nothing spills sideways, and the screenshots.

The dashboard, an agency's impact page (with its transfer map, and its reach chart for its own
staff) and the site's impact page, at desktop and phone widths. The screenshots go to a temporary
folder, or with EXCHANGE_SCREENSHOTS_DIR=docs/screenshots to the ones the README shows.
"""
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import DESKTOP, sideways_overflow

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
STARTER_AGENCY = "lakeland-statistics-office"  # the starter library's most adopted agency


@pytest.fixture(scope="module")
def reach(site, world):
    """90 days of views of the world's case study and of a starter practice, written as a flush would;
    and searches in the author's topics that found nothing."""
    from exchange.impact.counter import write_views
    from exchange.search.analytics import log_search

    today = datetime.now(UTC).date()
    counts = {}
    for back in range(90):
        day = today - timedelta(days=back)
        counts[(day, world.case_study)] = (back * 7) % 23 + (15 if back < 20 else 3)
        counts[(day, "lakeland-open-data-api")] = (back * 5) % 17 + 4
    with site.app.app_context():
        assert write_views(counts) > 0
        for query, times in (("social media crisis plan", 12), ("open data for bus times", 5)):
            for _ in range(times):
                log_search(query, 0, 4)


def pages(world):
    """name, address, who looks (a world attribute or None), the screenshot's name."""
    return [
        ("me", "/me", "author", "me"),
        ("agency impact", f"/agencies/{STARTER_AGENCY}/impact", None, "agency-impact"),
        ("own agency impact", f"/agencies/{world.agency}/impact", "author", "agency-impact-own"),
        ("site impact", "/impact", None, "impact"),
        ("site impact for an admin", "/impact", "admin", None),
        ("home with the dashboard", "/", "author", None),
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_impact_pages_have_no_wcag_violations_and_do_not_scroll_sideways(width, contexts, world, reach, folder):
    problems = []
    for name, path, who, shot in pages(world):
        person = getattr(world, who) if who else None
        page = contexts(person.email if person else None, viewport=WIDTHS[width]).new_page()
        response = page.goto(path)
        if response.status != 200:
            problems.append(f"{name}: answered {response.status}")
            continue
        problems += [f"{name} ({path}): {line}" for line in axe_violations(page)]
        if spilled := sideways_overflow(page):
            problems.append(f"{name} ({path}) at {width} width is wider than the window: {spilled}")
        if shot:
            page.screenshot(path=str(folder / f"{shot}-{width}.png"), full_page=True, animations="disabled",
                            caret="hide")
    assert not problems, "\n".join(problems)


def test_the_charts_are_drawn_with_text_alternatives(contexts, world, reach):
    page = contexts(world.author.email).new_page()
    page.goto(f"/agencies/{world.agency}/impact")
    assert page.get_by_role("img", name=f"Transfer map of {page.locator('h1').inner_text()[len('Impact of '):]}"
                            ).is_visible()
    assert page.get_by_role("img", name="Views of").first.is_visible()
    page.get_by_text("The numbers in this chart").first.click()
    assert page.locator("#reach-table tbody tr").count() == 90
    page.goto(f"/articles/{world.case_study}")
    assert page.locator("#reach-chart").is_visible()  # the author sees their practice's reach


def test_a_title_without_spaces_wraps_on_the_dashboard_home_at_phone_width(site, world, contexts):
    """A published title with one long unbroken word (a pasted address, markup) stays inside a phone's window."""
    from exchange.accounts.models import User
    from exchange.articles import services as articles
    from exchange.db import db

    with site.app.app_context():
        author = db.session.get(User, world.author.id)
        articles.create_article(author, {
            "title": "Lessons-from-the-Northfield-reply-desk-pilot-" + "x" * 40, "kind": "playbook",
            "status": "published", "summary": "A title someone pasted without spaces.",
            "body": "## Purpose\n\nA long title.", "tags": ["social media"]})
    for who in (world.author.email, None):
        page = contexts(who, viewport=PHONE).new_page()
        assert page.goto("/").status == 200
        assert not sideways_overflow(page), f"home for {who or 'a visitor'} spills sideways"
