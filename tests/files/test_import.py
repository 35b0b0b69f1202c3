"""Importing a Word document: a draft in Markdown, matched to the template; hostile files refused, nothing stored."""
import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.files import samples
from tests.files.conftest import Uploader, send_file

DOCUMENT = ["Northfield answers 4,000 questions a month.", "# Context", "We had no promise to residents.",
            "# What we did", "- Published a promise", "- Trained 12 staff", "# Results",
            "Median reply fell to 55 minutes."]


def _import(client, make, data, name="pilot.docx", user=None, **fields):
    return Uploader(client, make, user).post(data, name, path="/api/v1/imports", **fields)


def _count(app, table):
    from exchange.db import db

    with app.app_context():
        return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))


def test_a_word_document_becomes_a_draft_in_markdown(client, make):
    response = _import(client, make, samples.docx(DOCUMENT, heading="Answering residents in public", table=True))
    assert response.status_code == 201, response.json
    article = response.json
    assert article["status"] == "draft" and article["title"] == "Answering residents in public"
    assert article["summary"] == "Northfield answers 4,000 questions a month."
    body = article["body"]
    assert "## Context\n\nWe had no promise to residents." in body
    assert "## What we did\n\n- Published a promise\n- Trained 12 staff" in body
    assert "| Measure | After |\n| --- | --- |\n| Median reply | 55 minutes |" in body
    assert response.headers["Location"] == f"/api/v1/articles/{article['slug']}"


def test_headings_that_name_template_sections_take_their_wording(client, make):
    response = _import(client, make, samples.docx(["# CONTEXT:", "Text.", "# 2. Lessons learned", "More."]))
    assert "## Context\n" in response.json["body"] and "## Lessons learned\n" in response.json["body"]


def test_images_become_uploads_seen_as_the_draft_is(client, make):
    author = make.user()
    response = _import(client, make, samples.docx(["# Context", "A chart:"], picture=samples.image()), user=author)
    body = response.json["body"]
    assert "![" in body and "](/files/" in body
    url = body.split("](", 1)[1].split(")", 1)[0]
    assert client.get(url).status_code == 404  # the draft's image, to a visitor
    assert client.get(url, headers=bearer(make.token(author))).status_code == 200


def test_the_title_falls_back_to_the_file_name(client, make):
    response = _import(client, make, samples.docx(["Just text."]), name="Chatbot_pilot.docx")
    assert response.json["title"] == "Chatbot pilot"


@pytest.mark.parametrize("data, status, words", [
    (samples.PDF, 415, ".docx"),
    (samples.XLSX, 415, ".docx"),
    (b"plain text, not a document", 415, ".docx"),
    (samples.zip_bomb(), 422, "zip bomb"),
    (b"PK\x03\x04 broken", 422, "damaged"),
])
def test_hostile_or_wrong_files_are_refused_and_nothing_is_stored(app, client, make, data, status, words):
    response = _import(client, make, data)
    assert response.status_code == status
    assert words in response.json["error"]["message"]
    assert _count(app, "articles") == 0 and _count(app, "files") == 0


def test_a_huge_image_inside_is_refused_and_nothing_is_stored(app, client, make):
    import io
    import zipfile

    document = samples.docx(["# Context", "Chart:"], picture=samples.image())
    source = zipfile.ZipFile(io.BytesIO(document))
    parts = {name: source.read(name) for name in source.namelist()}
    image = next(name for name in parts if name.startswith("word/media/"))
    parts[image] = samples.huge_png()
    response = _import(client, make, samples.zipped(parts))
    assert response.status_code == 422 and "million pixels" in response.json["error"]["message"]
    assert _count(app, "articles") == 0 and _count(app, "files") == 0 and _count(app, "file_blobs") == 0


def test_external_references_are_dropped_and_the_page_says_so(client, make, auth):
    author = make.user()
    auth.login(author)
    document = samples.with_external_reference(samples.docx(["# Context", "Text."]))
    response = send_file(client, "/articles/import", document, "linked.docx", kind="case_study")
    assert response.status_code == 302 and response.location.endswith("/edit")
    page = client.get(response.location).get_data(as_text=True)
    assert "outside the document" in page and "nothing is fetched" in page


def test_the_import_page_refuses_with_an_error_summary(client, make, auth):
    auth.login(make.user())
    assert client.get("/articles/import").status_code == 200
    response = send_file(client, "/articles/import", samples.PDF, "report.pdf", kind="case_study")
    assert response.status_code == 415
    assert "There is a problem" in response.get_data(as_text=True)


def test_a_kind_not_offered_is_refused_on_the_page(client, make, auth):
    auth.login(make.user())
    response = send_file(client, "/articles/import", samples.docx(), "a.docx", kind="essay")
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)


def test_unverified_members_cannot_import(client, make):
    response = _import(client, make, samples.docx(), user=make.user(verified=False))
    assert response.status_code == 403 and response.json["error"]["code"] == "unverified"


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/articles/import").status_code == 302
