"""Challenges end to end: an agency asks, a second agency answers with a practice and with a new draft,
the first marks one helpful and records an adoption, and the practice's page shows it."""
import uuid

import pytest

from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS NOT RUN: playwright is not installed").expect

PRACTICE = "publishing-open-data"  # a published playbook of the starter library (Lakeland)


def test_ask_answer_and_record_what_helped(site, world, contexts):
    asker = site.person(world.agency, "Bea Asker")
    answerer = site.person(world.other_agency, "Al Answerer")
    title = f"Open data nobody downloads {uuid.uuid4().hex[:6]}"

    page = contexts(asker.email).new_page()
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Challenges").click()
    assert_accessible(page, "the challenges list")
    page.get_by_role("link", name="Ask a challenge").click()
    page.get_by_label("Title: the problem in one line").fill(title)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".error-summary")).to_contain_text("problem")
    assert_accessible(page, "the refused challenge")
    assert page.get_by_label("Title: the problem in one line").input_value() == title  # kept
    page.get_by_label("The problem", exact=True).fill(
        "## Who is affected\n\nResearchers.\n\n## What a good answer looks like\n\n"
        "A practice that made open data used, with numbers.")
    page.get_by_label("Topics (separated by commas)").fill("open data")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    challenge_url = page.url
    assert_accessible(page, "the asker's challenge page")

    other = contexts(answerer.email).new_page()
    other.goto(challenge_url)
    assert_accessible(other, "the challenge page, for another agency")
    other.get_by_role("button", name="+1 We have this problem too").click()
    expect(other.locator("main")).to_contain_text("1 agency has this problem too")
    other.get_by_label("The practice that answers it (its address or slug)").fill(PRACTICE)
    other.get_by_label("How it applies to this challenge").fill("Publish CSV first and say what changed each week.")
    other.get_by_role("button", name="Send the answer").click()
    expect(other.locator("#answers")).to_contain_text("Publishing open data people can actually use")
    draft_title = f"How Southport got its data used {title[-6:]}"
    other.get_by_label("Or start a new case study: its title").fill(draft_title)
    other.get_by_role("button", name="Send the answer").click()
    expect(other.get_by_label("Title", exact=True)).to_have_value(draft_title)  # the case-study editor

    page.goto(challenge_url)
    expect(page.locator("#answers")).not_to_contain_text("How Southport got its data used")  # a draft: theirs
    page.get_by_text("This helped us").first.click()
    page.locator("input[name=why]").first.fill("The weekly changelog got researchers back.")
    page.locator("input[name=adopt]").first.check()
    page.get_by_role("button", name="Mark as helpful").first.click()
    expect(page.locator("main")).to_contain_text("This helped")
    expect(page.locator("main")).to_contain_text("Work with:")
    assert_accessible(page, "the answered challenge")

    page.goto(f"/articles/{PRACTICE}")
    helped = page.get_by_role("region", name="Challenges it helped with")
    expect(helped).to_contain_text(f"with: {title}")
    assert_accessible(page, "the practice that helped")
