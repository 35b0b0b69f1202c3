"""Keyboard only: the skip link, visible focus, a logical order, no traps, and error summaries that lead to fields."""
import pytest

from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e

# What has focus now: enough to recognise it and to judge whether the focus can be seen.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const region = el.closest('main') ? 'main' : el.closest('.main-nav') ? 'nav'
               : el.closest('.site-search') ? 'search' : el.closest('header') ? 'header'
               : el.closest('footer') ? 'footer' : 'other';
  return {
    key: el.tagName + '|' + (el.id || '') + '|' + (el.getAttribute('href') || el.getAttribute('name') || '')
         + '|' + (el.textContent || '').trim().slice(0, 40)
         + '|' + Math.round(box.top + window.scrollY) + ',' + Math.round(box.left),
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, region: region,
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""

PAGES = ["/", "/case-studies", "/search?q=social+media", "/tags"]


def tab(page):
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def tab_round(page, limit: int = 400) -> list[dict]:
    """Tab from the top of the page until the focus comes back round to where it started."""
    stops = []
    first = tab(page)
    stops.append(first)
    for _ in range(limit):
        now = tab(page)
        if now is not None and now["key"] == first["key"]:
            return stops
        if now is not None:
            stops.append(now)
    raise AssertionError(f"the focus never came back round after {limit} presses of Tab: a keyboard trap near "
                         f"{stops[-1] if stops else None}")


@pytest.mark.parametrize("path", ["/", "/login", "/articles/new"])
def test_skip_link_is_first_visible_when_focused_and_moves_focus_to_main(path, contexts, world):
    page = contexts(world.author.email if path == "/articles/new" else None).new_page()
    page.goto(path)
    focused = tab(page)
    assert "skip-link" in focused["cls"], f"the first Tab stop is {focused}, not the skip link"
    assert focused["onScreen"] and focused["focusVisible"] and (focused["outline"] or focused["shadow"])
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    after = tab(page)
    assert after["region"] == "main", f"after the skip link, Tab went to {after}"


@pytest.mark.parametrize("path", PAGES)
def test_every_tab_stop_shows_visible_focus(path, page):
    page.goto(path)
    assert_focus_visible(page)


@pytest.mark.parametrize("path", ["{case}", "/articles/new", "/admin/moderation"])
def test_every_tab_stop_shows_visible_focus_when_signed_in(path, contexts, world):
    page = contexts(world.admin.email).new_page()
    page.goto(path.format(case=f"/articles/{world.case_study}"))
    assert_focus_visible(page)


def assert_focus_visible(page):
    invisible = [stop for stop in tab_round(page)
                 if not (stop["focusVisible"] and (stop["outline"] or stop["shadow"]) and stop["onScreen"])]
    assert not invisible, f"focus cannot be seen on: {invisible}"


@pytest.mark.parametrize("signed_in", [False, True])
def test_tab_order_goes_header_search_then_navigation_then_main(signed_in, contexts, world):
    page = contexts(world.author.email if signed_in else None).new_page()
    page.goto(f"/articles/{world.case_study}")
    regions = [stop["region"] for stop in tab_round(page)]
    order = [region for i, region in enumerate(regions) if i == 0 or regions[i - 1] != region]
    assert order.index("search") < order.index("nav") < order.index("main") < order.index("footer"), order
    assert order.count("main") == 1, f"the focus leaves main and comes back: {order}"


@pytest.mark.parametrize("path", ["/articles/new", "{case}", "/profile"])
def test_no_keyboard_trap_in_forms_and_articles(path, contexts, world):
    page = contexts(world.author.email).new_page()
    page.goto(path.format(case=f"/articles/{world.case_study}"))
    stops = tab_round(page)  # fails when the focus is stuck
    assert len(stops) > 10


def test_keyboard_only_sign_in(contexts, world):
    page = contexts().new_page()
    page.goto("/login")
    for _ in range(40):
        if (tab(page) or {}).get("id") == "email":
            break
    page.keyboard.type(world.other.email)
    assert tab(page)["id"] == "password"
    page.keyboard.type("correct horse battery staple")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_invalid_article_form_has_an_error_summary_linked_to_each_field(contexts, world):
    page = contexts(world.author.email).new_page()
    page.goto("/articles/new?editor=markdown")
    page.locator("#title").fill("")
    page.locator("#summary").fill("")
    page.locator("#tags").fill(", ".join(f"topic {n}" for n in range(12)))
    page.get_by_role("button", name="Publish").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert_accessible(page, "the refused article form")
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#title", "#summary", "#tags"} <= set(targets), targets
    for target in targets:
        field = page.locator(target)
        assert field.count() == 1, f"{target} in the error summary leads nowhere"
        assert field.get_attribute("aria-invalid") == "true"
        described = field.get_attribute("aria-describedby") or ""
        assert f"{target[1:]}-error" in described.split()
    links.first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == targets[0][1:]
    assert page.locator("#body").input_value().startswith("## Context"), "the form lost what was typed"
