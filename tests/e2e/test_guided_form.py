"""The guided form in a real browser: a case study written section by section autosaves, survives a
reload and is published past the check; a published article's autosave is a private working copy the
edit page offers to resume; plays are added without a script. axe-core on each form, photographed at
1280 and 390 pixels wide (into EXCHANGE_SCREENSHOTS_DIR when set, e.g. docs/screenshots)."""
import uuid

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.test_writing import photograph

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS NOT RUN: playwright is not installed").expect

FILLED = {
    "Context": "Harbourside runs buses for 80,000 people.",
    "Challenge": "Night workers had no way home after midnight.",
    "What we did": "We ran a six-month pilot of buses booked by text message.",
    "Results": "| Measure | Before | After |\n| --- | --- | --- |\n| Average wait | 40 min | 20 min |",
    "Challenges and failures": "Drivers for night shifts were hard to find.",
    "Conditions for success": "A union agreement on night pay.",
    "Could it work elsewhere": "Any city with a night economy and a text gateway.",
    "Lessons learned": "- Start with one route.",
    "Contact": "The night bus team, nightbus@harbour.example.",
}


def test_write_a_case_study_in_the_guided_form_autosave_reload_and_publish(site, world, contexts, folder):
    writer = site.person(world.agency, "Gita Guided")
    page = contexts(writer.email).new_page()
    page.goto("/articles/new")
    expect(page.get_by_role("group", name="The case study, section by section")).to_be_visible()
    title = f"Night buses booked by text {uuid.uuid4().hex[:6]}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill("Riders book a night bus by text; waits fell by half.")
    for heading, words in FILLED.items():
        page.get_by_label(heading, exact=True).fill(words)
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=15_000)
    page.wait_for_url("**/edit")  # the first autosave made the draft: the address is its edit page now
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator("#preview-body")).to_contain_text("Night workers had no way home")
    photograph(page, folder, "guided-form", "the guided case-study form")

    page.reload()
    for heading, words in FILLED.items():
        assert page.get_by_label(heading, exact=True).input_value() == words, f"{heading} was not kept"
    page.get_by_label("Contact", exact=True).fill("The night bus team.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before publishing")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("The night bus team.")


def test_autosave_of_a_published_article_is_private_and_resumable(site, world, contexts):
    from exchange.accounts.services import get_user
    from exchange.articles import sections
    from exchange.articles.services import create_article

    body = sections.join(sections.CaseStudy(sections=FILLED))
    with site.app.app_context():
        slug = create_article(get_user(world.author.id), {
            "title": f"Text-booked buses {uuid.uuid4().hex[:6]}", "kind": "case_study", "status": "published",
            "summary": "Waits fell by half.", "body": body}).slug
    page = contexts(world.author.email).new_page()
    page.goto(f"/articles/{slug}/edit")
    page.get_by_label("Lessons learned", exact=True).fill("- Start with one route.\n- Text beats apps at night.")
    expect(page.locator("#autosave-status")).to_contain_text("only you can see it", timeout=15_000)

    visitor = contexts().new_page()
    visitor.goto(f"/articles/{slug}")
    expect(visitor.locator("main")).not_to_contain_text("Text beats apps at night")

    page.goto(f"/articles/{slug}/edit")
    banner = page.get_by_role("region", name="You have autosaved changes")
    expect(banner).to_be_visible()
    assert_accessible(page, "the edit page offering to resume")
    banner.get_by_role("link", name="Resume your changes").click()
    assert "Text beats apps at night" in page.get_by_label("Lessons learned", exact=True).input_value()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Text beats apps at night")
    page.goto(f"/articles/{slug}/edit")
    expect(page.get_by_role("region", name="You have autosaved changes")).to_have_count(0)


def test_plays_are_added_without_javascript(site, world, contexts, folder):
    page = contexts(world.author.email, java_script_enabled=False).new_page()
    page.goto("/articles/new?kind=playbook")
    expect(page.get_by_label("Title of play 2")).to_have_value("Name the next play")
    page.get_by_label("Title of play 1").fill("Answer within a working day")
    page.get_by_role("button", name="Add a play").click()
    expect(page.get_by_label("Title of play 3")).to_have_value("")
    assert page.get_by_label("Title of play 1").input_value() == "Answer within a working day"
    page.get_by_role("button", name="Move play 2 up").click()
    assert page.get_by_label("Title of play 2").input_value() == "Answer within a working day"
    shown = contexts(world.author.email).new_page()  # axe needs a script to run: the same form, scripts on
    shown.goto("/articles/new?kind=playbook")
    photograph(shown, folder, "guided-playbook", "the guided playbook form")
