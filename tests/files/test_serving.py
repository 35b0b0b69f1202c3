"""/files/<hash>/<name>: seen exactly as its article is seen; cached for ever when public, never when not."""
import pytest

from tests.conftest import bearer
from tests.files import samples
from tests.files.conftest import Uploader, send_file


@pytest.fixture
def author(make):
    return make.user()


@pytest.fixture
def draft(make, author):
    return make.article(author, status="draft", title="Chatbot pilot notes")


def _upload(client, make, author, article, data=None, name="chart.png"):
    return Uploader(client, make, author).post(data or samples.image(), name, article=article.slug).json


def test_a_drafts_files_are_404_to_outsiders_and_200_to_its_agency(client, make, author, draft, auth):
    image = _upload(client, make, author, draft)
    assert client.get(image["url"]).status_code == 404  # a visitor
    auth.login(make.user())  # staff of another agency
    assert client.get(image["url"]).status_code == 404
    auth.logout()
    auth.login(make.user(agency=author.agency))  # a colleague
    response = client.get(image["url"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_published_articles_files_are_public_and_cached_for_ever(client, make, author):
    article = make.article(author)
    image = _upload(client, make, author, article)
    response = client.get(image["url"])
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == 'inline; filename="chart.png"'
    assert response.headers["ETag"] == f'"{image["hash"]}"'
    again = client.get(image["url"], headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # A file keeps its own, stricter policy: the site's is not added beside it.
    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'; sandbox"]


def test_documents_are_downloads(client, make, author):
    article = make.article(author)
    pdf = _upload(client, make, author, article, samples.PDF, "report.pdf")
    response = client.get(pdf["url"])
    assert response.headers["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response.mimetype == "application/pdf"


def test_a_wrong_name_or_hash_is_404(client, make, author):
    article = make.article(author)
    image = _upload(client, make, author, article)
    assert client.get(f"/files/{image['hash']}/other.png").status_code == 404
    assert client.get(f"/files/{'0' * 64}/chart.png").status_code == 404


def test_an_unattached_upload_is_only_its_uploaders_and_agencys(client, make, author):
    pdf = Uploader(client, make, author).post(samples.PDF, "notes.pdf").json
    assert client.get(pdf["url"]).status_code == 404
    assert client.get(pdf["url"], headers=bearer(make.token(make.user()))).status_code == 404
    assert client.get(pdf["url"], headers=bearer(make.token(make.user(agency=author.agency)))).status_code == 200


def test_a_body_that_uses_an_upload_attaches_it_and_publishing_makes_it_public(app, client, make, author):
    image = Uploader(client, make, author).post(samples.image(), "chart.png").json
    token = make.token(author)
    created = client.post("/api/v1/articles", headers=bearer(token), json={
        "title": "Answering residents in public", "kind": "case_study", "summary": "What we did.",
        "body": f"## Context\n\nOur results:\n\n![Replies within an hour rose to 85%]({image['url']})\n"})
    assert created.status_code == 201
    assert client.get(image["url"]).status_code == 404  # a draft's image
    slug = created.json["slug"]
    published = client.patch(f"/api/v1/articles/{slug}", headers=bearer(token),
                             json={"status": "published", "base_revision": 1})
    assert published.status_code == 200, published.json
    response = client.get(image["url"])
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    page = client.get(f"/articles/{published.json['slug']}").get_data(as_text=True)
    assert f'<img src="{image["url"]}" alt="Replies within an hour rose to 85%"' in page


def test_withdrawn_articles_files_stay_readable_as_the_article_does(client, make, author):
    admin = make.admin()
    article = make.article(author)
    pdf = _upload(client, make, author, article, samples.PDF, "report.pdf")
    token = make.token(admin)
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(token), json={
        "status": "archived", "archive_reason": "Replaced.", "base_revision": article.revision})
    assert response.status_code == 200, response.json
    assert client.get(pdf["url"]).status_code == 200


def test_attachments_are_listed_under_the_article_only_for_those_who_see_it(client, make, author):
    article = make.article(author)
    pdf = _upload(client, make, author, article, samples.PDF, "evaluation report.pdf")
    _upload(client, make, author, article)  # an image: shown in the body, not listed
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Attachments" in page and f'href="{pdf["url"]}"' in page and "evaluation-report.pdf" in page
    assert "chart.png" not in page


def test_the_edit_page_has_the_upload_control(client, make, author, draft, auth):
    auth.login(author)
    page = client.get(f"/articles/{draft.slug}/edit").get_data(as_text=True)
    assert 'action="/files/upload"' in page and f'name="article" value="{draft.slug}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_new_article_page_offers_the_word_import(client, make, auth):
    auth.login(make.user())
    assert 'href="/articles/import"' in client.get("/articles/new").get_data(as_text=True)


def test_the_upload_page_shows_the_markdown_to_paste(client, make, author, draft, auth):
    auth.login(author)
    response = send_file(client, "/files/upload", samples.image(), "chart.png", article=draft.slug,
                         alt="Replies within an hour")
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    assert "![Replies within an hour](/files/" in page
    assert f'href="/articles/{draft.slug}/edit"' in page


def test_the_upload_page_answers_json_to_the_script(client, make, author, draft, auth):
    auth.login(author)
    response = send_file(client, "/files/upload", samples.PDF, "report.pdf", article=draft.slug,
                         headers={"Accept": "application/json"})
    assert response.status_code == 201
    assert response.json["markdown"] == f"[report.pdf]({response.json['url']})"


def test_the_upload_page_refuses_with_an_error_summary(client, make, author, draft, auth):
    auth.login(author)
    response = send_file(client, "/files/upload", samples.SVG, "logo.svg", article=draft.slug)
    assert response.status_code == 415
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "SVG images are not accepted" in page


def test_unverified_members_cannot_upload_from_the_page(client, make, auth):
    person = make.user(verified=False)
    auth.login(person)
    response = send_file(client, "/files/upload", samples.PDF, "a.pdf")
    assert response.status_code == 403


def test_an_image_without_a_description_is_refused_on_save(client, make, author):
    image = Uploader(client, make, author).post(samples.image(), "chart.png").json
    response = client.post("/api/v1/articles", headers=bearer(make.token(author)), json={
        "title": "No alt text here", "kind": "case_study", "summary": "What we did.",
        "body": f"## Context\n\n![]({image['url']})\n"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"body": "an image has no description (alt text)"}


def test_external_images_become_links_not_images(make, client):
    article = make.article(body="## Context\n\n![a chart](https://tracker.example/pixel.png)\n")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "tracker.example/pixel.png" in page and '<img src="https://tracker.example' not in page


def test_the_content_security_policy_allows_images_from_this_site_only(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self'" in csp


def test_an_edit_that_uses_an_upload_attaches_it(client, make, author):
    article = make.article(author)
    image = Uploader(client, make, author).post(samples.image(), "chart.png").json
    assert client.get(image["url"]).status_code == 404
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(make.token(author)), json={
        "body": f"## Context\n\nNow with a chart.\n\n![Replies by hour]({image['url']})\n",
        "base_revision": article.revision})
    assert response.status_code == 200, response.json
    assert client.get(image["url"]).status_code == 200
