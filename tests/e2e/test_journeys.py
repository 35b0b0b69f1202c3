"""What people come to do, end to end in a real browser with real forms (CSRF on)."""
import re
import time
import uuid

import pyotp
import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS NOT RUN: playwright is not installed").expect


def unique(word: str) -> str:
    return f"{word} {uuid.uuid4().hex[:6]}"


def publish_case_study(site, author, title: str, **fields) -> str:
    """A published case study by ``author``, made through the services; returns its slug."""
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article

    with site.app.app_context():
        article = create_article(get_user(author.id), {
            "title": title, "kind": "case_study", "status": "published",
            "summary": "We replaced paper forms with a short online service.",
            "body": "## Context\n\nPaper forms took weeks.\n\n## Results\n\nAnswers came in days.", **fields})
        return article.slug


def test_register_with_an_agency_address(page, world):
    page.goto("/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Full name").fill("Rita Newcomer")
    page.get_by_label("Work email").fill("rita@gmail.example")
    page.get_by_label("Password").fill("a long enough pass phrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".error-summary")).to_contain_text(re.compile("agency", re.I))
    assert_accessible(page, "the refused registration")
    assert page.get_by_label("Full name").input_value() == "Rita Newcomer"  # what was typed is kept
    email = f"rita.{uuid.uuid4().hex[:6]}@{world.agency}.example"
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill("a long enough pass phrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("main")).to_contain_text("its account is ready")  # the same words if it had one already
    sign_in(page, email, "a long enough pass phrase")
    expect(page.get_by_role("link", name="Rita Newcomer")).to_be_visible()


def test_write_a_case_study_from_the_template_with_a_preview_and_publish_it(site, world, contexts):
    writer = site.person(world.agency, "Wendy Writer")
    page = contexts(writer.email).new_page()
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Write").click()
    page.get_by_role("button", name="Write in one Markdown box").click()  # the guided form: test_guided_form.py
    body = page.get_by_role("textbox", name="Body (Markdown)")
    template = body.input_value()
    for section in ("Context", "Challenge", "What we did", "Results", "Challenges and failures",
                    "Conditions for success", "Could it work elsewhere", "Lessons learned", "Contact"):
        assert f"## {section}\n" in template, f"the case study template has no {section} section"
    title = unique("Text message reminders cut missed appointments")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill("Reminders two days ahead halved missed appointments in six months.")
    body.fill(template.replace("Who you are, where, and the situation before you started.",
                               "Westfield clinics lost 1 in 8 appointments.")
              .replace("What changed, with numbers where there are any.", "Missed appointments fell from 12% to 6%."))
    page.get_by_label("Topics").fill("digital services, health")
    page.get_by_label("Evidence level").select_option("2")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".preview")
    expect(preview.get_by_role("heading", name="Results")).to_be_visible()
    assert "fell from 12% to 6%" in preview.inner_text()
    assert_accessible(page, "the preview")
    assert page.get_by_label("Title").input_value() == title  # nothing lost by previewing
    page.get_by_role("button", name="Publish").click()
    # the sections still holding the template's text are named; filled in, they pass
    expect(page.locator(".error-summary")).to_contain_text("“Challenge”")
    filled = body.input_value()
    for hint in ("The problem you set out to solve, and for whom.",
                 "The steps you took, in order, with the people and tools involved.",
                 "What went wrong or was harder than expected.", "What had to be true for this to work.",
                 "Which other agencies could use this, and what they would need to change.",
                 "Team name and a way to reach you."):
        filled = filled.replace(hint, "Our own words.")
    body.fill(filled.replace("- \n", "- Start small.\n"))
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before publishing")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    expect(page.get_by_role("link", name="digital services")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Evidence level 2 of 5")
    page.goto("/case-studies?sort=newest")
    expect(page.get_by_role("link", name=title)).to_be_visible()


def test_a_colleague_edits_it(site, world, contexts):
    slug = publish_case_study(site, world.author, unique("Online permits"))
    page = contexts(world.colleague.email).new_page()
    page.goto(f"/articles/{slug}")
    page.get_by_role("link", name="Edit", exact=True).click()
    body = page.get_by_role("textbox", name="Body (Markdown)")
    body.fill(body.input_value() + "\n\n## Lessons learned\n\nAsk the front desk first.")
    page.get_by_label("What did you change?").fill("Added what we learned")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Ask the front desk first.")
    expect(page.get_by_role("link", name="Revision 2")).to_be_visible()
    page.get_by_role("link", name="Revision 2").click()
    page.wait_for_url(f"**/articles/{slug}/history")
    expect(page.locator("main")).to_contain_text("Added what we learned")
    expect(page.locator("main")).to_contain_text("Colin Colleague")


def test_a_conflicting_edit_is_resolved_without_losing_text(site, world, contexts):
    slug = publish_case_study(site, world.author, unique("Shared inbox"))
    author = contexts(world.author.email).new_page()
    colleague = contexts(world.colleague.email).new_page()
    for page in (author, colleague):
        page.goto(f"/articles/{slug}/edit")
    colleague_body = colleague.get_by_role("textbox", name="Body (Markdown)")
    colleague_body.fill(colleague_body.input_value() + "\n\nThe colleague's paragraph about costs.")
    colleague.get_by_role("button", name="Save changes").click()
    expect(colleague.locator("main")).to_contain_text("The colleague's paragraph about costs.")

    author_body = author.get_by_role("textbox", name="Body (Markdown)")
    author_body.fill(author_body.input_value() + "\n\nThe author's paragraph about staffing.")
    with author.expect_response(lambda r: r.request.method == "POST") as posted:
        author.get_by_role("button", name="Save changes").click()
    response = posted.value
    assert response.status == 409
    expect(author.get_by_role("heading", level=1)).to_contain_text("Someone else changed this article")
    expect(author.locator("main")).to_contain_text("The colleague's paragraph about costs.")  # their change
    assert_accessible(author, "the conflict page")
    kept = author.get_by_role("textbox", name="Body (Markdown)").input_value()
    assert "The author's paragraph about staffing." in kept, "the author's text was lost"
    author.get_by_role("textbox", name="Body (Markdown)").fill(kept + "\n\nThe colleague's paragraph about costs.")
    author.get_by_role("button", name="Save my merged version").click()
    author.wait_for_url(f"**/articles/{slug}")
    expect(author.locator(".prose")).to_contain_text("The author's paragraph about staffing.")
    expect(author.locator(".prose")).to_contain_text("The colleague's paragraph about costs.")
    expect(author.get_by_role("link", name="Revision 3")).to_be_visible()


def test_another_agency_finds_it_by_search_with_a_facet_and_endorses_it_with_a_note(site, world, contexts):
    word = f"zephyrkiosk{uuid.uuid4().hex[:4]}"
    title = f"Self-service {word} terminals in libraries"
    slug = publish_case_study(site, world.author, title, tags=["digital services"])
    page = contexts(world.other.email).new_page()
    page.goto("/")
    search = page.get_by_role("searchbox", name="Search practices")
    search.fill(word)
    search.press("Enter")
    page.wait_for_url("**/search?q=*")
    for _ in range(20):  # the index follows the database; under load it may lag a moment
        if page.get_by_role("link", name=title).count():
            break
        time.sleep(0.25)
        page.reload()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    facets = page.locator(".facets")
    facets.get_by_role("link", name="Case study", exact=True).click()
    assert "kind=case_study" in page.url
    assert facets.get_by_role("link", name="Case study", exact=True).get_attribute("aria-current") == "true"
    page.get_by_role("link", name=title).click()
    assert page.url.endswith(f"/articles/{slug}")
    panel = page.locator("#endorsements")
    panel.get_by_label("Adopt", exact=True).check()
    panel.get_by_label("Note (optional)").fill("We rolled this out in four branches.")
    panel.get_by_role("button", name="Record my endorsement or adoption").click()
    expect(page.locator("main")).to_contain_text("Your agency's adoption is recorded.")
    entry = page.locator(".adoption-stories li").filter(has_text="Olga Other")  # adoptions listed apart (issue 17)
    assert "We rolled this out in four branches." in entry.inner_text()
    assert "Southport Health Board" in entry.inner_text()


def test_a_misspelt_search_shows_the_corrected_results_and_can_search_as_typed(site, world, contexts):
    letters = "".join(chr(ord("a") + int(digit, 16)) for digit in uuid.uuid4().hex[:4])
    word, typo = f"quilbarrow{letters}", f"qulibarrow{letters}"  # two letters swapped
    title = f"Shared {word} depots"
    publish_case_study(site, world.author, title)
    page = contexts().new_page()
    page.goto("/")
    search = page.get_by_role("searchbox", name="Search practices")
    search.fill(typo)
    search.press("Enter")
    page.wait_for_url("**/search?q=*")
    for _ in range(20):  # the index follows the database; under load it may lag a moment
        if page.get_by_role("link", name=title).count():
            break
        time.sleep(0.25)
        page.reload()
    status = page.get_by_role("status")
    expect(status).to_contain_text(f"Showing results for {word}. Search instead for {typo}.")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    assert_accessible(page, "the results of a corrected search")
    status.get_by_role("link", name=typo).click()
    assert "as_typed=1" in page.url
    expect(page.get_by_role("heading", name=f"No results for “{typo}”")).to_be_visible()
    page.locator(".no-results").get_by_role("link", name=word).click()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    expect(page.get_by_role("status")).not_to_contain_text("Showing results for")


def test_an_admin_features_it_and_it_leads_the_home_page(site, world, contexts):
    title = unique("Plain-language letters")
    slug = publish_case_study(site, world.author, title)
    page = contexts(world.admin.email).new_page()
    page.goto(f"/articles/{slug}")
    page.get_by_role("link", name="Feature this practice on the home page").click()
    form = page.locator("form[action='/admin/featured']")
    assert slug in form.get_by_label("Practice or challenge").input_value(), \
        "the feature form does not start from the article"
    form.get_by_label("Why it is featured").fill("Cut repeat calls by a quarter.")
    form.get_by_label("Position").fill("1")
    form.get_by_role("button", name="Feature").click()
    expect(page.locator(".featured-table tbody tr").first.get_by_role("link", name=title, exact=True)).to_be_visible()
    visitor = contexts().new_page()
    visitor.goto("/")
    featured = visitor.locator("section[aria-labelledby=featured-title]")
    first = featured.locator(".card").first
    assert first.get_by_role("link").first.inner_text() == title
    assert "Cut repeat calls by a quarter." in first.inner_text()
    first_section = visitor.locator("main section.home-section").first
    assert first_section.get_attribute("aria-labelledby") == "featured-title", "featured practices do not lead"


def test_a_comment_is_refused_by_the_house_rules_then_a_good_one_is_posted(site, world, contexts):
    person = site.person(world.other_agency, "Carla Commenter")
    page = contexts(person.email).new_page()
    page.goto(f"/articles/{world.case_study}")
    page.get_by_label("Add a comment").fill("Great post, thanks!")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".error-summary")).to_contain_text(re.compile(r"add something|endorse", re.I))
    assert_accessible(page, "the refused comment")
    assert page.get_by_label(re.compile("comment", re.I)).input_value() == "Great post, thanks!"
    good = f"In Southport we added a weekend rota and kept the one-hour promise all year ({uuid.uuid4().hex[:4]})."
    page.get_by_label(re.compile("comment", re.I)).fill(good)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("main")).to_contain_text("Your comment is published.")
    expect(page.locator(".comment").filter(has_text=good)).to_be_visible()


def test_a_flag_is_moderated(site, world, contexts):
    reporter = site.person(world.other_agency, "Rob Reporter")
    slug = publish_case_study(site, world.author, unique("Hot-desking pilot"))
    page = contexts(reporter.email).new_page()
    page.goto(f"/articles/{slug}")
    page.get_by_role("link", name="Report this article").click()
    page.get_by_role("button", name="Send report").click()  # no reason chosen
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "the refused report")
    page.get_by_label("Inaccurate or misleading").check()
    page.get_by_label(re.compile("detail", re.I)).fill("The savings figure counts the same desks twice.")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("main")).to_contain_text("a moderator will look at it")

    admin = contexts(world.admin.email).new_page()
    admin.goto("/admin/moderation")
    flag = admin.locator(".moderation-list li").filter(has_text="The savings figure counts the same desks twice.")
    expect(flag).to_contain_text("Rob Reporter")
    flag.get_by_role("button", name=re.compile("Dismiss")).click()
    expect(admin.locator("main")).to_contain_text("The flag is dismissed;")
    expect(admin.locator(".moderation-list li").filter(has_text="counts the same desks twice")).to_have_count(0)
    admin.goto("/admin/audit")
    expect(admin.locator("main")).to_contain_text("dismissed a report about")


def test_an_admin_enrols_two_step_sign_in_and_signs_in_with_a_code(site, world, contexts):
    """On a server where admins must use a second factor (EXCHANGE_ADMIN_MFA=true)."""
    admin = site.person(world.admin_agency, "Mina Factor", role="admin")
    page = contexts(base_url=site.mfa_url()).new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/login/setup")  # an admin must set up a second factor first
    expect(page.locator(".qr svg")).to_have_count(1)
    assert_accessible(page, "two-step set-up")
    totp = pyotp.TOTP(page.locator("code.secret").inner_text().strip())
    page.get_by_label(re.compile("Code from your authenticator")).fill(totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator(".recovery-codes code")).to_have_count(10)
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-f]{6}-[0-9a-f]{6}", c) for c in codes)
    assert_accessible(page, "the recovery codes")
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("main")).to_contain_text("You are signed out.")

    page.goto("/login")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/login/code")
    page.get_by_label(re.compile("Code")).fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "a wrong code")
    page.get_by_label(re.compile("Code")).fill(totp.at(time.time() + 30))  # the next code: the current one is used
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Admin")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
