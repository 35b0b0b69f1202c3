"""Images, attachments and Word import in a real browser: an image uploaded on the edit page goes in at the
cursor and shows in the published article (no CSP violation), a PDF is listed under it, the upload works
without JavaScript, and a .docx made here becomes a draft that is published. Each page is checked by axe-core;
the article with its image is photographed at 1280 and 390 pixels wide (docs/screenshots/article-image-*)."""
import uuid

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import csp_violations
from tests.e2e.test_writing import photograph
from tests.files import samples

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS NOT RUN: playwright is not installed").expect



BODY = """## Context

Northfield answers about 4,000 questions a month on social media, and residents waited nine hours for a reply.

## Results

Within a year the median reply took 55 minutes.
"""


def _draft(site, world, title: str) -> str:
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article

    with site.app.app_context():
        return create_article(get_user(world.author.id), {
            "title": title, "kind": "case_study", "status": "draft", "summary": "We promised a one-hour reply.",
            "body": BODY}).slug


def _chart() -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (800, 400), "white")
    draw = ImageDraw.Draw(picture)
    for i, (height, colour) in enumerate(((60, "#b1b4b6"), (340, "#1d70b8"))):
        draw.rectangle([150 + i * 300, 380 - height, 350 + i * 300, 380], fill=colour)
    import io

    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _upload(page, data: bytes, name: str, mime: str, alt: str = "") -> None:
    page.get_by_label("Image or document").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    if alt:
        page.get_by_label("Describe the image (alt text)").fill(alt)
    page.get_by_role("button", name="Upload").click()


def test_an_uploaded_image_shows_in_the_published_article_and_a_pdf_is_attached(site, world, contexts, folder):
    title = f"Answering residents within the hour {uuid.uuid4().hex[:4]}"
    slug = _draft(site, world, title)
    context = contexts(world.author.email)
    page = context.new_page()
    page.goto(f"/articles/{slug}/edit")
    assert_accessible(page, "the edit page with its upload control")
    body = page.get_by_role("textbox", name="Body (Markdown)")
    body.evaluate("(area) => { const at = area.value.indexOf('## Results'); area.setSelectionRange(at, at); }")
    _upload(page, _chart(), "reply-times.png", "image/png", "Bar chart: median reply fell from 9 hours to 55 minutes")
    expect(page.locator("[data-upload-result]")).to_contain_text("Uploaded reply-times.png")
    text = body.input_value()
    assert "![Bar chart: median reply fell from 9 hours to 55 minutes](/files/" in text
    assert text.index("![Bar chart") < text.index("## Results")  # at the cursor
    _upload(page, samples.PDF, "evaluation.pdf", "application/pdf")
    expect(page.locator("[data-upload-result]")).to_contain_text("Uploaded evaluation.pdf")
    page.locator("#upload-title").scroll_into_view_if_needed()
    photograph(page, folder, "edit-upload", "the edit page after two uploads")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before publishing")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    visitor = contexts().new_page()
    visitor.goto(page.url)
    image = visitor.get_by_role("img", name="Bar chart: median reply fell from 9 hours to 55 minutes")
    expect(image).to_be_visible()
    assert image.evaluate("(img) => img.complete && img.naturalWidth") == 800
    expect(visitor.locator(".attachments")).to_contain_text("evaluation.pdf")
    assert visitor.locator(".attachments").get_by_role("link", name="evaluation.pdf").get_attribute("href").startswith(
        "/files/")
    assert csp_violations(visitor) == [] and csp_violations(page) == []
    assert not [line for line in context.recorder.console if "Content Security Policy" in line]
    photograph(visitor, folder, "article-image", "an article with an image and an attachment")


def test_uploading_works_without_javascript(site, world, contexts):
    slug = _draft(site, world, f"Plain uploads {uuid.uuid4().hex[:4]}")
    page = contexts(world.author.email, java_script_enabled=False).new_page()
    page.goto(f"/articles/{slug}/edit")
    _upload(page, samples.image(), "chart.png", "image/png", "A red square")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uploaded: chart.png")
    assert page.get_by_label("Markdown to paste").input_value().startswith("![A red square](/files/")
    page.get_by_role("link", name="Back to editing").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit")


def test_the_upload_result_pages_are_accessible(site, world, contexts, folder):
    slug = _draft(site, world, f"Refused uploads {uuid.uuid4().hex[:4]}")
    page = contexts(world.author.email).new_page()
    page.goto(f"/articles/{slug}/edit")
    page.evaluate("() => document.querySelector('[data-upload-form]').removeAttribute('data-upload-form')")
    page.locator("[name=file]").set_input_files({"name": "logo.svg", "mimeType": "image/svg+xml",
                                                  "buffer": samples.SVG})
    page.locator("form[action='/files/upload']").evaluate("(form) => form.submit()")
    expect(page.locator(".error-summary")).to_contain_text("SVG images are not accepted")
    photograph(page, folder, "upload-refused", "a refused upload")
    page.goto(f"/articles/{slug}/edit")
    page.evaluate("() => document.querySelector('[data-upload-form]').removeAttribute('data-upload-form')")
    page.locator("[name=file]").set_input_files({"name": "chart.png", "mimeType": "image/png",
                                                  "buffer": samples.image()})
    page.get_by_label("Describe the image (alt text)").fill("A red square")
    page.locator("form[action='/files/upload']").evaluate("(form) => form.submit()")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uploaded: chart.png")
    photograph(page, folder, "upload-done", "the Markdown to paste")


def test_import_a_word_document_and_publish_it(site, world, contexts, folder):
    title = f"Texting residents back {uuid.uuid4().hex[:4]}"
    document = samples.docx(["Southport answers texts from residents.", "# Context",
                             "Residents texted and nobody answered.", "# What we did",
                             "- Bought a shared inbox", "- Trained six staff", "# Results",
                             "Replies within a day rose to 90%."], heading=title, table=True,
                            picture=samples.image())
    page = contexts(world.author.email).new_page()
    page.goto("/articles/import")
    assert_accessible(page, "the import page")
    photograph(page, folder, "import-word", "the import page")
    page.get_by_label("Word document (.docx)").set_input_files(
        {"name": "texting.docx", "buffer": document,
         "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.locator(".flash")).to_contain_text("Your Word document is now a draft")
    body = page.get_by_role("textbox", name="Body (Markdown)").input_value()
    assert "## What we did" in body and "| Median reply | 55 minutes |" in body and "](/files/" in body
    assert_accessible(page, "the imported draft's edit page")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before publishing")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".prose table")).to_contain_text("55 minutes")
    assert csp_violations(page) == []
