"""Hostile input in every field people write fires no script anywhere it is shown, and breaks no CSP rule.

A payload that got through would either run (a dialog, or ``window.__xss`` set) or be blocked by the
Content-Security-Policy (a ``securitypolicyviolation`` event): both are caught. So is active markup left
in the page, even if it did nothing.
"""
import pytest

from tests.e2e.conftest import csp_violations, xss_fired

pytestmark = pytest.mark.e2e

IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
SCRIPT = '"><script>window.__xss=1;alert(2)</script>'
SVG = "'><svg onload=\"window.__xss=1;alert(3)\">"
JS_LINK = '<a href="javascript:window.__xss=1;alert(4)">a raw link</a>'
MD_LINK = "[a markdown link](javascript:window.__xss=1;alert(5))"
OTHERS = ['<iframe src="javascript:window.__xss=1"></iframe>', '<details open ontoggle="window.__xss=1">x</details>',
          "<a href=\" jav&#x09;ascript:window.__xss=1\">an encoded link</a>", "{{ 12345 * 3 }} ${12345*3} #{12345*3}",
          "![an image](javascript:window.__xss=1)",
          '<form action="javascript:window.__xss=1"><button>go</button></form>']
PAYLOADS = [IMG, SCRIPT, SVG, JS_LINK, MD_LINK, *OTHERS]

# Anything active in the page that the site's own templates never emit.
# The site's own scripts (the editor's autosave and preview, the upload control) are the only ones a
# page may hold: each by its exact address under /static/js/, which no sanitised input can produce.
OWN_SCRIPTS = ("/static/js/editor.js", "/static/js/upload.js")
ACTIVE = ("script" + "".join(f':not([src="{src}"])' for src in OWN_SCRIPTS)
          + ", iframe, object, embed, [onerror], [onload], [ontoggle], [onclick], [onfocus], main style"
          # and no SVG but the site's own server-drawn charts (impact: the owner's views of the article)
          + ", main svg:not(svg.chart[role=img])")
# Links, images and forms whose address, as the browser resolves it, would run script.
SCRIPT_URLS = """() => [...document.querySelectorAll('a[href], area[href], img[src], form[action], button[formaction]')]
  .map(e => e.href || e.src || e.action || e.formAction || '')
  .filter(u => /^\\s*(javascript|vbscript|data):/i.test(u))"""


def assert_inert(page, where: str) -> None:
    """Nothing ran, nothing was blocked, nothing active was left in the page."""
    page.wait_for_load_state("load")
    recorder = page.context.recorder
    assert not recorder.dialogs, f"{where}: a script ran and opened {recorder.dialogs}"
    assert not xss_fired(page), f"{where}: a script ran and set window.__xss"
    assert not csp_violations(page), f"{where}: the CSP blocked {csp_violations(page)}"
    active = page.locator(ACTIVE)
    assert active.count() == 0, f"{where}: active markup in the page: {active.first.evaluate('e => e.outerHTML')}"
    assert not page.evaluate(SCRIPT_URLS), f"{where}: script addresses: {page.evaluate(SCRIPT_URLS)}"
    assert "37035" not in page.content(), f"{where}: a template evaluated input"


def assert_links_inert(page, names: list[str], where: str) -> None:
    """The links hostile text made (when it made any) lead nowhere that runs script."""
    for name in names:
        links = page.locator("main a", has_text=name)
        for i in range(links.count()):
            href = links.nth(i).get_attribute("href") or ""
            assert "script:" not in href.lower(), f"{where}: {name!r} links to {href}"


def visit(page, path: str) -> None:
    page.goto(path)
    assert_inert(page, path)


@pytest.fixture
def writer(site, world, contexts):
    """A member of the owning agency with their own signed-in page."""
    person = site.person(world.agency, "Hostile Writer")
    return person, contexts(person.email).new_page()


def test_article_fields_fire_no_script(writer, world, contexts):
    person, page = writer
    page.goto("/articles/new?editor=markdown")
    page.locator("#title").fill(f"Hostile {IMG} {SCRIPT}")
    page.locator("#summary").fill(" ".join([IMG, SCRIPT, SVG, JS_LINK]))
    page.locator("#body").fill("\n\n".join(["## Context", *PAYLOADS, f"[[{SCRIPT}]]", f"[[x|{IMG}]]"]))
    page.locator("#tags").fill("<img src=x onerror=window.__xss=1>, \"><svg onload=window.__xss=1>")
    page.get_by_role("button", name="Preview").click()
    assert_inert(page, "the preview")
    page.get_by_role("button", name="Publish").click()
    assert_inert(page, "check your answers")
    page.get_by_role("button", name="Publish").click()
    assert "/articles/hostile" in page.url, page.locator("main").inner_text()[:600]
    slug = page.url.rsplit("/", 1)[1]
    assert_inert(page, "the article")
    assert_links_inert(page, ["a raw link", "a markdown link", "an encoded link", "an image"], "the article")
    tags = [page.locator("main .tags a").nth(i).get_attribute("href")
            for i in range(page.locator("main .tags a").count())]
    assert len(tags) == 2
    for path in ["/", "/case-studies", *tags, f"/agencies/{world.agency}", f"/people/{person.id}",
                 f"/articles/{slug}/history", f"/articles/{slug}/edit", "/search?q=hostile+img"]:
        visit(page, path)
    page.goto(f"/articles/{slug}/edit")
    page.locator("#body").fill(page.locator("#body").input_value() + "\n\nMore " + SVG)
    page.get_by_role("button", name="Save changes").click()
    visit(page, f"/articles/{slug}/diff?from=1&to=2")
    visitor = contexts().new_page()
    for path in [f"/articles/{slug}", "/", f"/people/{person.id}"]:
        visit(visitor, path)


def test_comments_fire_no_script(site, world, contexts):
    person = site.person(world.other_agency, "Hostile Commenter")
    page = contexts(person.email).new_page()
    page.goto(f"/articles/{world.case_study}")
    page.locator("#body").fill(f"{IMG} {SCRIPT} {SVG} see https://one.example/a and https://two.example/b")
    page.get_by_role("button", name="Post comment").click()
    assert "at most one link" in page.locator(".error-summary").inner_text()
    assert_inert(page, "the refused comment, shown back")
    page.goto(f"/articles/{world.case_study}")
    page.locator("#body").fill("We saw the same in Leeds over six months. " + " ".join(PAYLOADS))
    page.get_by_role("button", name="Post comment").click()
    assert "#comment-" in page.url
    assert_inert(page, "the article with the comment")
    assert_links_inert(page, ["a raw link", "a markdown link", "an encoded link"], "the comment")
    for viewer in (contexts().new_page(), contexts(world.admin.email).new_page()):
        visit(viewer, f"/articles/{world.case_study}")
    visit(contexts(world.admin.email).new_page(), "/admin/moderation")


def test_profile_fields_fire_no_script(site, world, contexts):
    person = site.person(world.agency, "Hostile Profile")
    page = contexts(person.email).new_page()
    page.goto("/profile")
    page.locator("#name").fill(f"Pat {IMG}"[:120])
    page.locator("#job_title").fill(SCRIPT[:120])
    page.locator("#bio").fill(" ".join(PAYLOADS))
    page.get_by_role("button", name="Save details").click()
    assert_inert(page, "the profile")
    page.goto("/articles/new?editor=markdown")
    page.locator("#title").fill("A practice by a hostile profile")
    page.locator("#summary").fill("Written to show the author's name.")
    page.locator("#body").fill("## Context\n\nWritten by a hostile profile.")
    page.get_by_role("button", name="Publish").click()
    assert_inert(page, "check your answers")
    page.get_by_role("button", name="Publish").click()
    assert_inert(page, "an article by them")
    for viewer in (page, contexts().new_page()):
        for path in [f"/people/{person.id}", f"/agencies/{world.agency}", "/"]:
            visit(viewer, path)


@pytest.mark.parametrize("query",
                         [IMG, SCRIPT, SVG, "javascript:window.__xss=1", '" autofocus onfocus="window.__xss=1'])
def test_search_box_fires_no_script(query, page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search practices").fill(query)
    page.get_by_role("searchbox", name="Search practices").press("Enter")
    page.wait_for_load_state()
    assert "/search" in page.url
    assert_inert(page, f"search for {query!r}")
    assert page.locator("#search-q").input_value() == query
