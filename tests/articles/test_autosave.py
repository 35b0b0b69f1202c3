"""Autosave: drafts save as edits with base_revision; a published article's autosaves are a private working copy."""
from tests.conftest import bearer

CASE = "## Context\n\nSome text."


def _put(client, slug, token, **fields):
    return client.put(f"/api/v1/articles/{slug}/draft", json=fields, headers=bearer(token))


def test_a_published_articles_autosave_is_a_private_working_copy_not_a_revision(client, make):
    author = make.user()
    article = make.article(author=author)
    token = make.token(author)
    response = _put(client, article.slug, token, base_revision=1, title=article.title, summary="Shorter.",
                    body="## Context\n\nHalf-written thoughts", tags="open data")
    assert response.status_code == 200
    assert response.json["conflict"] is False and response.json["body"] == "## Context\n\nHalf-written thoughts"
    public = client.get(f"/api/v1/articles/{article.slug}").json
    assert public["revision"] == 1 and public["body"] == CASE and public["summary"] == "What we tried."
    assert client.get(f"/api/v1/articles/{article.slug}/draft", headers=bearer(token)).json["summary"] == "Shorter."


def test_nobody_else_sees_a_working_copy(client, make):
    author = make.user()
    colleague = make.user(agency=author.agency)
    article = make.article(author=author)
    _put(client, article.slug, make.token(author), base_revision=1, title="Mine", summary="Mine", body="Mine")
    other = make.token(colleague)
    assert client.get(f"/api/v1/articles/{article.slug}/draft", headers=bearer(other)).status_code == 404
    assert client.get(f"/api/v1/articles/{article.slug}/draft").status_code == 401
    assert "Mine" not in client.get(f"/api/v1/articles/{article.slug}/revisions").data.decode()


def test_a_working_copy_behind_the_article_says_conflict_and_overwrites_nothing(client, make):
    author = make.user()
    colleague = make.user(agency=author.agency)
    article = make.article(author=author)
    patched = client.patch(f"/api/v1/articles/{article.slug}", json={"base_revision": 1, "summary": "Theirs."},
                           headers=bearer(make.token(colleague)))
    assert patched.status_code == 200
    response = _put(client, article.slug, make.token(author), base_revision=1, title="t", summary="Mine.", body="b")
    assert response.status_code == 200
    assert response.json["conflict"] is True and response.json["current_revision"] == 2
    assert client.get(f"/api/v1/articles/{article.slug}").json["summary"] == "Theirs."


def test_a_draft_autosaves_with_patch_not_a_working_copy(client, make):
    author = make.user()
    article = make.article(author=author, status="draft")
    token = make.token(author)
    assert _put(client, article.slug, token, base_revision=1, body="x").status_code == 409
    stale = client.patch(f"/api/v1/articles/{article.slug}", json={"base_revision": 1, "body": "one"},
                         headers=bearer(token))
    assert stale.status_code == 200
    again = client.patch(f"/api/v1/articles/{article.slug}", json={"base_revision": 1, "body": "two"},
                         headers=bearer(token))
    assert again.status_code == 409 and again.json["error"]["current_revision"] == 2


def test_a_working_copy_is_refused_to_who_may_not_edit_and_for_a_bad_base(client, make):
    article = make.article()
    outsider = make.token(make.user())
    assert _put(client, article.slug, outsider, base_revision=1, body="x").status_code == 403
    author = make.user()
    own = make.article(author=author)
    assert _put(client, own.slug, make.token(author), body="x").status_code == 422  # no base_revision


def test_an_unknown_field_or_a_base_ahead_of_the_article_is_422(client, make):
    author = make.user()
    article = make.article(author=author)
    token = make.token(author)
    assert _put(client, article.slug, token, base_revision=5, body="x").status_code == 422
    assert _put(client, article.slug, token, base_revision=1, status="published").status_code == 422


def test_the_edit_page_offers_to_resume_and_saving_the_edit_clears_the_copy(client, make, auth):
    author = make.user()
    article = make.article(author=author)
    token = make.token(author)
    _put(client, article.slug, token, base_revision=1, title=article.title, summary="A better summary.",
         body="## Context\n\nResumed words.", tags="")
    auth.login(author)
    page = client.get(f"/articles/{article.slug}/edit").data.decode()
    assert "You have autosaved changes" in page and "Resume your changes" in page
    page = client.get(f"/articles/{article.slug}/edit?resume=1").data.decode()
    assert "Resumed words." in page and "A better summary." in page
    response = client.post(f"/articles/{article.slug}/edit", data={
        "title": article.title, "summary": "A better summary.", "body": "## Context\n\nResumed words.",
        "tags": "", "evidence_level": "", "stage": "", "edit_policy": "agency", "review_by": "",
        "base_revision": "1", "change_note": "", "kind": "case_study", "editor": "markdown"})
    assert response.status_code == 302
    assert client.get(f"/api/v1/articles/{article.slug}/draft", headers=bearer(token)).status_code == 404
    assert "You have autosaved changes" not in client.get(f"/articles/{article.slug}/edit").data.decode()


def test_discarding_the_working_copy_from_the_edit_page(client, make, auth):
    author = make.user()
    article = make.article(author=author)
    token = make.token(author)
    _put(client, article.slug, token, base_revision=1, title="t", summary="s", body="b")
    auth.login(author)
    response = client.post(f"/articles/{article.slug}/working-copy/discard")
    assert response.status_code == 302
    assert client.get(f"/api/v1/articles/{article.slug}/draft", headers=bearer(token)).status_code == 404


def test_the_page_script_autosaves_with_the_session_only_with_its_csrf_token(client, make, auth, app):
    from itsdangerous import URLSafeTimedSerializer

    author = make.user()
    article = make.article(author=author)
    auth.login(author)
    url = f"/api/v1/articles/{article.slug}/draft"
    assert client.put(url, json={"base_revision": 1, "body": "b"}).status_code == 401  # a cookie alone: never
    assert client.put(url, json={"base_revision": 1, "body": "b"}, headers={"X-CSRFToken": "forged"}).status_code == 401
    with client.session_transaction() as session:  # the page's CSRF token, as Flask-WTF makes it
        session["csrf_token"] = "a" * 40
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps("a" * 40)
    response = client.put(url, json={"base_revision": 1, "body": "From the page."}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.json["body"] == "From the page."


def test_live_preview_renders_without_storing(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/preview", json={"body": "**bold** <script>x</script>"}, headers=bearer(token))
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.json["html"] and "<script>" not in response.json["html"]
    assert client.post("/api/v1/preview", json={"body": "x"}).status_code == 401
    assert client.post("/api/v1/preview", json={}, headers=bearer(token)).status_code == 422


def test_a_working_copy_or_preview_of_anything_but_text_is_422(client, make):
    author = make.user()
    article = make.article(author=author)
    token = make.token(author)
    for field in ("title", "summary", "body", "tags"):
        assert _put(client, article.slug, token, base_revision=1, **{field: 0}).status_code == 422, field
        assert _put(client, article.slug, token, base_revision=1, **{field: False}).status_code == 422, field
    assert client.post("/api/v1/preview", json={"body": False}, headers=bearer(token)).status_code == 422
