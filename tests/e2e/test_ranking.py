"""Issue #17 in a real browser: "How ranking works" and the endorsement form with adoption stories have no
WCAG violations at desktop and phone widths, the form works without JavaScript's help, and screenshots."""

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import DESKTOP, PHONE, sideways_overflow

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
STORIES = "/articles/answering-residents-on-social-media"  # the starter library's adoptions with stories


@pytest.mark.parametrize("width", WIDTHS)
def test_how_ranking_works_has_no_violations_and_fits(width, contexts, folder):
    page = contexts(viewport=WIDTHS[width]).new_page()
    assert page.goto("/about/ranking").status == 200
    assert page.get_by_role("heading", name="How ranking works", level=1).is_visible()
    assert axe_violations(page) == []
    assert not sideways_overflow(page)
    page.screenshot(path=str(folder / f"ranking-{width}.png"), full_page=True, animations="disabled", caret="hide")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_endorsement_form_has_no_violations_and_records_an_adoption_story(width, contexts, world, folder):
    page = contexts(world.colleague.email if width == "desktop" else world.admin.email,
                    viewport=WIDTHS[width]).new_page()
    assert page.goto(STORIES).status == 200
    form = page.locator("form.endorse-form")
    assert form.locator("input[name=kind]:checked").count() == 0  # nothing chosen for you
    assert axe_violations(page) == []
    assert not sideways_overflow(page)
    form.get_by_label("Adopt", exact=True).check()
    form.get_by_label("Adopted on (optional)").fill("2026-02-01")
    form.get_by_label("In use").check()
    form.get_by_label("Outcome (optional)").fill("Our contact centre answers the same day.")
    form.get_by_role("button", name="Record my endorsement or adoption").click()
    page.wait_for_load_state("networkidle")
    stories = page.locator(".adoption-stories")
    assert "Our contact centre answers the same day." in stories.inner_text()
    assert axe_violations(page) == []
    page.locator("#endorsements").screenshot(path=str(folder / f"endorsement-panel-{width}.png"),
                                             animations="disabled", caret="hide")
    page.get_by_role("button", name="Withdraw my adoption").click()  # changing your mind: one click
    page.wait_for_load_state("networkidle")
    assert "Our contact centre answers the same day." not in page.locator("#endorsements").inner_text()
