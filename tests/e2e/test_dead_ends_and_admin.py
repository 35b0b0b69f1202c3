"""#20 items 9 and 11 in a browser: the refused edit and the missing article at phone width, the admin pages
at phone width, deactivation confirmed without JavaScript; screenshots of each for a person to look at."""
import os
from pathlib import Path

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import DESKTOP, PHONE, sideways_overflow

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("EXCHANGE_VOICE_SHOTS", "/tmp/voice-shots"))


def _check(page, path: str, status: int, shot: str) -> list[str]:
    response = page.goto(path)
    problems = [] if response.status == status else [f"{path}: answered {response.status}, expected {status}"]
    problems += [f"{path}: {line}" for line in axe_violations(page)]
    if spilled := sideways_overflow(page):
        problems.append(f"{path}: wider than the window: {spilled}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    return problems


@pytest.mark.parametrize("viewport,width", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_dead_ends_offer_a_way_on_at_both_widths(viewport, width, contexts, world):
    visitor = contexts(viewport=viewport).new_page()
    problems = _check(visitor, "/articles/chatbots-for-council-tax-2019", 404, f"404-{width}")
    assert visitor.get_by_role("link", name="Search for “chatbots for council tax 2019”").is_visible()
    other = contexts(world.other.email, viewport=viewport).new_page()
    problems += _check(other, f"/articles/{world.case_study}/edit", 403, f"403-{width}")
    assert other.get_by_role("heading", name="What you can do").is_visible()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport,width", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_admin_pages_at_both_widths(viewport, width, contexts, world):
    page = contexts(world.admin.email, viewport=viewport).new_page()
    problems = []
    for name, path in [("overview", "/admin/"), ("people", f"/admin/people?agency={world.agency}"),
                       ("audit", "/admin/audit"), ("moderation", "/admin/moderation"),
                       ("search", "/admin/search"), ("deactivate", f"/admin/people/{world.other.id}/deactivate")]:
        problems += _check(page, path, 200, f"admin-{name}-{width}")
    assert not problems, "\n".join(problems)


def test_deactivation_is_confirmed_on_its_own_page_without_javascript(contexts, site, world):
    person = site.person(world.agency, "Dee Parting")
    page = contexts(world.admin.email, java_script_enabled=False).new_page()
    page.goto("/admin/people?q=Parting")
    page.get_by_role("link", name="Deactivate Dee Parting").click()
    assert page.get_by_role("heading", name="Deactivate Dee Parting?").is_visible()
    page.get_by_role("button", name="Yes, deactivate Dee Parting").click()
    assert "Dee Parting is deactivated" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Reactivate Dee Parting").is_visible()
    assert person.email
