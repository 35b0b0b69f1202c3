"""A member's home page and the country and level filters, in a real browser at desktop and phone widths.

axe-core finds nothing, nothing scrolls sideways, the home page's search box is on the first screen and
no practice is shown twice. Screenshots go to a temporary folder, or with
EXCHANGE_SCREENSHOTS_DIR=docs/screenshots to the ones the README shows.
"""
from collections import Counter

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import sideways_overflow

pytestmark = pytest.mark.e2e
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 667}}
PRACTICE_LINKS = """() => [...document.querySelectorAll('main a[href^="/articles/"]')]
  .map(a => a.getAttribute('href')).filter(h => /^\\/articles\\/[a-z0-9-]+$/.test(h) && h !== '/articles/new')"""


@pytest.fixture(scope="module")
def follower(site, world):
    """The world's author follows their own topic and two starter topics (their own work must stay out)."""
    from exchange.accounts.models import User
    from exchange.community import follows
    from exchange.db import db

    with site.app.app_context():
        author = db.session.get(User, world.author.id)
        for slug in (world.tag, "open-data", "social-media"):
            tag = follows.find_target(author, "tag", slug)
            follows.follow(author, "tag", tag)
    return world.author


def _problems(page, name: str, width: str) -> list[str]:
    found = [f"{name}: {line}" for line in axe_violations(page)]
    if spilled := sideways_overflow(page):
        found.append(f"{name} at {width} width is wider than the window: {spilled}")
    if page.evaluate("document.documentElement.scrollWidth") > WIDTHS[width]["width"]:
        found.append(f"{name} at {width} width scrolls sideways")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_s_home_is_accessible_with_search_on_the_first_screen(width, contexts, follower, folder, tmp_path):
    page = contexts(follower.email, viewport=WIDTHS[width]).new_page()
    assert page.goto("/").status == 200
    problems = _problems(page, "member home", width)
    box = page.locator("#home-search-q").bounding_box()
    assert box is not None
    if box["y"] + box["height"] > WIDTHS[width]["height"]:
        problems.append(f"the search box ends at {box['y'] + box['height']:.0f} px, below the first screen")
    repeated = {href: n for href, n in Counter(page.evaluate(PRACTICE_LINKS)).items() if n > 1}
    if repeated:
        problems.append(f"practices shown more than once: {repeated}")
    page.screenshot(path=str(folder / f"home-member-{width}.png"), full_page=False, animations="disabled",
                    caret="hide")
    page.screenshot(path=str(tmp_path / f"home-member-full-{width}.png"), full_page=True, animations="disabled",
                    caret="hide")  # the whole page, to look at; only the first screen goes in the README
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_places_filters_are_accessible(width, contexts, world, folder):
    pages = [("search outside GB", "/search?q=open+data&country=-GB&level=local", "search-places"),
             ("local case studies outside GB", "/case-studies?country=-GB&level=local", "list-places"),
             ("an agency", "/agencies/northvale-council", None)]
    problems = []
    for name, path, shot in pages:
        page = contexts(None, viewport=WIDTHS[width]).new_page()
        response = page.goto(path)
        if response.status != 200:
            problems.append(f"{name}: answered {response.status}")
            continue
        problems += _problems(page, name, width)
        if shot:
            page.screenshot(path=str(folder / f"{shot}-{width}.png"), full_page=True, animations="disabled",
                            caret="hide")
    assert not problems, "\n".join(problems)


def test_the_list_form_narrows_to_local_government_outside_a_country(contexts, world):
    page = contexts(None).new_page()
    page.goto("/case-studies")
    page.get_by_label("Country").select_option(label="Outside United Kingdom")
    page.get_by_label("Level of government").select_option(label="Local government")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/case-studies?country=-GB&level=local")
    assert page.get_by_label("Country").input_value() == "-GB"
