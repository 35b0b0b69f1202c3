"""Writing in a real browser: publishing past the check (and "check your answers"), withdrawing and
putting back, restoring with a confirmation; each new page checked by axe-core and photographed at
1280 and 390 pixels wide (into EXCHANGE_SCREENSHOTS_DIR when set, else a temporary folder)."""
import re
import uuid
from pathlib import Path

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import sideways_overflow

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS NOT RUN: playwright is not installed").expect

WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def photograph(page, folder: Path, name: str, what: str) -> None:
    """Check the page with axe, then photograph it wide and on a phone; nothing may spill sideways."""
    assert_accessible(page, what)
    for label, size in (("desktop", WIDE), ("phone", NARROW)):
        page.set_viewport_size(size)
        spilled = sideways_overflow(page)
        assert not spilled, f"{what} at {size['width']} px is wider than the window: {spilled}"
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True, animations="disabled",
                        caret="hide")
    page.set_viewport_size(WIDE)


def test_publish_a_case_study_past_the_check(site, world, contexts, folder):
    writer = site.person(world.agency, "Petra Publisher")
    page = contexts(writer.email).new_page()
    page.goto("/articles/new?editor=markdown")  # the one-box editor (the guided one: test_guided_form.py)
    body = page.get_by_role("textbox", name="Body (Markdown)")
    template = body.input_value()
    title = f"Night buses on demand {uuid.uuid4().hex[:6]}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill("Riders book a night bus by text; waits fell by half.")
    body.fill(template.replace("Who you are, where, and the situation before you started.",
                               "Harbourside runs buses for 80,000 people."))
    page.get_by_role("button", name="Publish").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("“Challenge”")
    assert "“Context”" not in summary.inner_text()  # filled in, so not named
    assert page.get_by_label("Title").input_value() == title  # what was typed is kept
    photograph(page, folder, "publish-error-summary", "the publish error summary")
    filled = body.input_value()
    for hint, words in (("The problem you set out to solve, and for whom.", "Night workers had no way home."),
                        ("The steps you took, in order, with the people and tools involved.", "We ran a pilot."),
                        ("What changed, with numbers where there are any.", "Waits fell from 40 to 20 minutes."),
                        ("What went wrong or was harder than expected.", "Drivers were hard to find."),
                        ("What had to be true for this to work.", "A union agreement."),
                        ("Which other agencies could use this, and what they would need to change.", "Any city."),
                        ("- \n", "- Start small.\n"),
                        ("Team name and a way to reach you.", "The night bus team.")):
        filled = filled.replace(hint, words)
    body.fill(filled)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before publishing")
    expect(page.locator("main")).to_contain_text("What followers will be told")
    photograph(page, folder, "check-your-answers", "check your answers")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".flash")).to_contain_text("is published")
    page.goto("/case-studies")
    expect(page.get_by_role("link", name=title)).to_be_visible()


def test_withdraw_a_practice_and_put_it_back(site, world, contexts, folder):
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article

    with site.app.app_context():
        slug = create_article(get_user(world.author.id), {
            "title": f"Fax-free referrals {uuid.uuid4().hex[:6]}", "kind": "case_study", "status": "published",
            "summary": "Referrals by secure email instead of fax.",
            "body": "## Context\n\nClinics still faxed.\n\n## Results\n\nNo more lost referrals."}).slug
    page = contexts(world.author.email).new_page()
    page.goto(f"/articles/{slug}")
    page.get_by_role("link", name="Withdraw this practice").click()
    assert_accessible(page, "the withdraw form")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".error-summary")).to_contain_text("Say why")
    assert_accessible(page, "the refused withdrawal")
    page.get_by_label("Why are you withdrawing it?").fill("Replaced by the regional referral service in 2026.")
    page.get_by_role("button", name="Withdraw").click()
    banner = page.locator(".banner-withdrawn")
    expect(banner).to_contain_text("Withdrawn by Ana Author on")
    expect(banner).to_contain_text("Replaced by the regional referral service in 2026.")
    photograph(page, folder, "withdrawn-article", "a withdrawn article")
    visitor = contexts().new_page()
    assert visitor.goto(f"/articles/{slug}").status == 200  # still readable at its address
    visitor.goto("/case-studies")
    expect(visitor.locator("main")).not_to_contain_text("Fax-free referrals")
    page.get_by_role("button", name="Put it back").click()
    expect(page.locator(".flash")).to_contain_text("The practice is back")
    expect(page.locator(".banner-withdrawn")).to_have_count(0)


def test_restore_asks_first_and_history_fits_a_phone(world, contexts, folder):
    page = contexts(world.author.email).new_page()
    page.goto(f"/articles/{world.case_study}/history")
    photograph(page, folder, "history", "the revision history")
    page.set_viewport_size(NARROW)
    restore = page.get_by_role("link", name="Restore revision 1")
    restore.scroll_into_view_if_needed()
    box = restore.bounding_box()
    assert box and box["x"] + box["width"] <= NARROW["width"], "Restore is off-screen on a phone"
    page.set_viewport_size(WIDE)
    restore.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restore revision 1?")
    expect(page.locator("main")).to_contain_text("What will change")
    photograph(page, folder, "restore-confirmation", "the restore confirmation")
    page.get_by_role("link", name="Cancel").click()  # nothing restored: the world stays as it was
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^History of "))
