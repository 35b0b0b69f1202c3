"""Challenges end to end: an agency asks, a second agency answers with a practice and with a new draft,
the first marks one helpful and records an adoption (with its story), and the practice's page shows it;
search finds the challenge with the kind=challenge filter; the answerer's dashboard says what it helped
with; an admin features it on the home page. Screenshots at desktop and phone widths go to a temporary
folder, or with EXCHANGE_SCREENSHOTS_DIR=docs/screenshots to the ones the README shows."""
import uuid

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import DESKTOP, sideways_overflow

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS NOT RUN: playwright is not installed").expect

PRACTICE = "publishing-open-data"  # a published playbook of the starter library (Lakeland)
PHONE = {"width": 390, "height": 844}


def test_ask_answer_and_record_what_helped(site, world, contexts, folder):
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
    page.get_by_role("button", name="Mark as helpful").first.click()  # no why: refused
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("why it helped you")
    assert_accessible(page, "the refused helped form")
    summary.get_by_role("link").first.click()  # the summary's link reaches the field (why-<answer id>)
    expect(page.locator("input[name=why]:focus")).to_have_count(1)
    page.locator("input[name=why]").first.fill("The weekly changelog got researchers back.")
    page.locator("input[name=adopt]").first.check()
    page.locator("input[name=adopted_on]").first.fill("2026-01-15")
    page.get_by_label("Piloting").first.check()
    page.locator("textarea[name=outcome]").first.fill("Downloads doubled in a month.")
    page.get_by_role("button", name="Mark as helpful").first.click()
    expect(page.locator("main")).to_contain_text("This helped")
    expect(page.locator("main")).to_contain_text("Work with:")
    assert_accessible(page, "the answered challenge")

    page.goto(f"/articles/{PRACTICE}")
    helped = page.get_by_role("region", name="Challenges it helped with")
    expect(helped).to_contain_text(f"with: {title}")
    assert_accessible(page, "the practice that helped")
    expect(page.locator("main")).to_contain_text("Downloads doubled in a month.")  # the adoption's story

    # Search finds the challenge, with the kind=challenge filter.
    page.goto("/search?q=" + title.replace(" ", "+"))
    kinds = page.get_by_role("region", name="Kind")
    expect(kinds).to_contain_text("Challenge (")
    kinds.get_by_role("link", name="Challenge", exact=True).click()  # the kind facet's value
    assert "kind=challenge" in page.url
    results = page.locator(".search-results")
    expect(results.get_by_role("link", name=title)).to_have_count(1)
    expect(results.locator(".badge-case_study, .badge-playbook")).to_have_count(0)  # challenges only
    assert_accessible(page, "search results with kind=challenge")
    results.get_by_role("link", name=title).click()
    assert page.url == challenge_url

    # The answerer's dashboard says what they helped with.
    other.goto("/me")
    helped_region = other.get_by_role("region", name="Your answers that helped")
    expect(helped_region).to_contain_text("Helped")
    expect(helped_region).to_contain_text(f"with: {title}")
    assert_accessible(other, "the answerer's dashboard")

    # An admin features the challenge; the home page links to it.
    admin = contexts(world.admin.email).new_page()
    admin.goto(challenge_url)
    admin.get_by_role("link", name="Feature this challenge on the home page").click()
    admin.get_by_label("Why it is featured").fill("Who has got open data used?")
    admin.get_by_role("button", name="Feature", exact=True).click()
    admin.goto("/")
    featured = admin.get_by_role("region", name="Featured practices")
    featured.get_by_role("link", name=title).click()
    assert admin.url == challenge_url

    slug = challenge_url.rsplit("/", 1)[-1]
    shots = [("challenge", challenge_url, asker.email),
             ("challenge-search", "/search?q=open+data&kind=challenge", None),
             ("challenge-helped-me", "/me", answerer.email), ("challenge-featured-home", "/", None)]
    problems = []
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        for name, path, who in shots:
            shot = contexts(who, viewport=viewport).new_page()
            assert shot.goto(path).status == 200, (path, slug)
            if spilled := sideways_overflow(shot):
                problems.append(f"{name} at {width} width is wider than the window: {spilled}")
            shot.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True, animations="disabled",
                            caret="hide")
    assert not problems, "\n".join(problems)


def test_a_plain_comment_under_a_challenge(site, world, contexts, folder):
    """A member of another agency comments on a starter challenge: a brief one is refused with the reason
    (the typed text kept), a real one is published and shown; the page stays accessible and fits a phone."""
    commenter = site.person(world.other_agency, "Cora Commenter")
    path = "/challenges/weekend-questions-on-social-media"
    page = contexts(commenter.email).new_page()
    page.goto(path)
    comments = page.get_by_role("region", name="Comments")
    comments.get_by_label("Your comment").fill("Great post!")
    comments.get_by_role("button", name="Post comment").click()
    expect(page.locator(".error-summary")).to_contain_text("Comments here need to add something")
    assert page.get_by_label("Your comment").input_value() == "Great post!"  # kept
    assert_accessible(page, "the refused challenge comment")
    text = f"We staff a weekend rota of two in Southport; replies within four hours ({uuid.uuid4().hex[:6]})."
    page.get_by_label("Your comment").fill(text)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments")).to_contain_text(text)
    expect(page.locator("#comments")).to_contain_text("Cora Commenter")
    assert_accessible(page, "the challenge with a comment")

    visitor = contexts(None).new_page()
    visitor.goto(path)
    expect(visitor.locator("#comments")).to_contain_text(text)
    expect(visitor.locator("#comments").get_by_role("link", name="Sign in")).to_have_count(1)
    assert_accessible(visitor, "the challenge's comments, for a visitor")
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        shot = contexts(commenter.email, viewport=viewport).new_page()
        shot.goto(path + "#comments")
        assert not sideways_overflow(shot), f"the challenge page at {width} width is wider than the window"
        shot.screenshot(path=str(folder / f"challenge-comments-{width}.png"), full_page=True,
                        animations="disabled", caret="hide")
