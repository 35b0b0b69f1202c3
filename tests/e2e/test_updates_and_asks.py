"""Get updates, a feed opened in the browser, the print view and "Ask the team" in a real browser: axe-core finds
nothing at desktop and phone widths, nothing scrolls sideways on a phone, and the screenshots are kept."""

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import DESKTOP, PHONE, sideways_overflow

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def _problems(page, width) -> list[str]:
    found = axe_violations(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width != WIDTHS[width]["width"]:
        found.append(f"scrolls sideways: {scroll_width} wide in a {WIDTHS[width]['width']} window "
                     f"{sideways_overflow(page)}")
    return found


def _shoot(page, folder, name, width, full=True):
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=full, animations="disabled")


@pytest.mark.parametrize("width", WIDTHS)
def test_get_updates_pages_are_accessible(width, contexts, world, folder):
    problems = []
    visitor = contexts(viewport=WIDTHS[width]).new_page()
    for name, path in (("updates-topic", f"/tags/{world.tag}/updates"),
                       ("updates-agency", f"/agencies/{world.agency}/updates"),
                       ("updates-practice", f"/articles/{world.case_study}/updates")):
        assert visitor.goto(path).status == 200
        assert visitor.get_by_role("heading", name="By email").is_visible()
        assert visitor.get_by_role("heading", name="In a feed reader").is_visible()
        problems += [f"{path}: {line}" for line in _problems(visitor, width)]
        _shoot(visitor, folder, name, width)
    member = contexts(world.other.email, viewport=WIDTHS[width]).new_page()
    member.goto(f"/tags/{world.tag}/updates")
    assert member.get_by_text("Emails about what you follow").is_visible()
    problems += [f"member topic updates: {line}" for line in _problems(member, width)]
    _shoot(member, folder, "updates-topic-member", width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_feed_opened_in_the_browser_reads_as_a_page(width, contexts, world, folder):
    page = contexts(viewport=WIDTHS[width]).new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    assert page.goto(f"/feeds/tags/{world.tag}.atom").status == 200
    assert page.get_by_role("heading", level=1).inner_text().endswith("on the Exchange")
    assert page.get_by_text("This is a feed").is_visible()
    assert page.locator(".feed-entry").count() >= 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", "the site's stylesheet applies"
    # Chromium's own XSLT deprecation banner carries a style attribute and an event handler the policy blocks;
    # the page itself has neither.
    banner = ("Applying inline style", "Executing inline event handler")
    assert not [text for text in violations if not text.startswith(banner)], violations
    assert page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => !e.closest('xslt-warning-banner'))
        .some(e => e.matches('[style], style, script')
                   || [...e.attributes].some(a => a.name.startsWith('on')))""") is False
    problems = [line for line in _problems(page, width) if "xslt-warning-banner" not in line]
    assert not problems, "\n".join(problems)
    _shoot(page, folder, "feed-in-browser", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_print_view_is_accessible_and_prints_without_its_hint(width, contexts, world, folder):
    page = contexts(viewport=WIDTHS[width]).new_page()
    assert page.goto(f"/articles/{world.case_study}").status == 200
    page.get_by_role("link", name="Print view").click()
    assert page.url.endswith(f"/articles/{world.case_study}/print")
    assert page.get_by_text("This is the print view").is_visible()
    assert not _problems(page, width)
    _shoot(page, folder, "print-view", width)
    page.emulate_media(media="print")
    assert not page.locator(".print-hint").is_visible()
    assert page.locator(".prose").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_asks_the_team_from_the_article_page(width, contexts, world, folder):
    page = contexts(world.other.email, viewport=WIDTHS[width]).new_page()
    page.goto(f"/articles/{world.case_study}")
    panel = page.locator("#ask-team")
    assert not _problems(page, width)
    panel.get_by_role("button", name="Send your question").click()  # empty: refused, explained
    assert page.url.endswith(f"/articles/{world.case_study}/ask")
    assert page.get_by_role("alert").get_by_text("Enter your question.").is_visible()
    assert page.title().startswith("Error:")
    assert not _problems(page, width)
    _shoot(page, folder, "ask-refused", width)
    page.get_by_label("Your question").fill(f"How did you staff it at weekends? ({width})")
    page.get_by_role("button", name="Send your question").click()
    assert page.url.endswith(f"/articles/{world.case_study}")
    assert page.get_by_role("status").get_by_text("Your question is sent").is_visible()
    admin = contexts(world.admin.email, viewport=WIDTHS[width]).new_page()
    admin.goto("/admin/questions")
    assert admin.get_by_text(f"How did you staff it at weekends? ({width})").is_visible()
    assert not _problems(admin, width)
    _shoot(admin, folder, "admin-questions", width)
