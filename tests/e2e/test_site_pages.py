"""The site pages and "Is this page useful?" in a real browser: axe-core finds nothing at desktop and phone
widths, nothing scrolls sideways on a phone, and a visitor's answer goes through without JavaScript."""
import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import DESKTOP, PHONE, sideways_overflow
from tests.e2e.pages import SITE_PAGES

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def _problems(page, width) -> list[str]:
    found = axe_violations(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width != WIDTHS[width]["width"]:
        found.append(f"scrolls sideways: {scroll_width} wide in a {WIDTHS[width]['width']} window "
                     f"{sideways_overflow(page)}")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_site_pages_and_their_admin_pages_are_accessible(width, contexts, world):
    problems = []
    visitor = contexts(viewport=WIDTHS[width]).new_page()
    for path in SITE_PAGES:
        assert visitor.goto(path).status == 200
        problems += [f"{path}: {line}" for line in _problems(visitor, width)]
    member = contexts(world.author.email, viewport=WIDTHS[width]).new_page()
    assert member.goto(f"/agencies/{world.agency}/feedback").status == 200
    problems += [f"agency feedback: {line}" for line in _problems(member, width)]
    admin = contexts(world.admin.email, viewport=WIDTHS[width]).new_page()
    for path in ("/admin/pages", "/admin/pages/privacy", "/admin/feedback"):
        assert admin.goto(path).status == 200
        problems += [f"{path}: {line}" for line in _problems(admin, width)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_visitor_says_a_practice_is_not_useful_with_a_comment(width, contexts, world):
    page = contexts(viewport=WIDTHS[width]).new_page()  # a plain form: no script involved
    page.goto(f"/articles/{world.case_study}")
    feedback = page.locator("#page-feedback")
    feedback.get_by_text("Add a comment (optional)").click()
    feedback.get_by_label("What could be better?").fill(f"The results need units ({width}).")
    feedback.locator("button[value=no]").click()
    assert page.url.endswith(f"/articles/{world.case_study}")
    assert page.get_by_role("status").get_by_text("Thank you for your feedback").is_visible()
    assert not _problems(page, width)

    admin = contexts(world.admin.email, viewport=WIDTHS[width]).new_page()
    admin.goto("/admin/feedback")
    assert admin.get_by_text(f"The results need units ({width}).").is_visible()
    assert not _problems(admin, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_refused_answer_explains_itself_accessibly(width, contexts, world):
    page = contexts(viewport=WIDTHS[width]).new_page()
    page.goto("/about/contact")
    with page.expect_navigation():  # a form sent with an answer that is neither yes nor no
        page.evaluate("""() => { const f = document.querySelector('#page-feedback form');
            const b = document.createElement('input'); b.type = 'hidden'; b.name = 'useful'; b.value = 'maybe';
            f.appendChild(b); f.querySelector('textarea').value = 'Kept'; f.submit(); }""")
    assert page.get_by_role("alert").get_by_text("Choose Yes or No.").is_visible()
    assert page.locator("#feedback-comment").input_value() == "Kept"
    assert not _problems(page, width)
