"""An article can be marked as an adaptation of another ("based on"); the original lists its published
adaptations, never a draft's (issue #17)."""
from tests.conftest import bearer


def _patch(client, token, article, **fields):
    current = client.get(f"/api/v1/articles/{article.slug}", headers=bearer(token)).json
    return client.patch(f"/api/v1/articles/{article.slug}", json={"base_revision": current["revision"], **fields},
                        headers=bearer(token))


def test_based_on_is_set_through_the_api_and_the_original_lists_it(client, make):
    original = make.article(title="The original practice")
    author = make.user()
    response = client.post("/api/v1/articles", json={
        "title": "Our adaptation", "kind": "case_study", "summary": "We adapted it.", "status": "published",
        "body": "## Context\n\nText.", "based_on": original.slug}, headers=bearer(make.token(author)))
    assert response.status_code == 201, response.json
    assert response.json["based_on"] == {"slug": original.slug, "title": "The original practice"}
    page = client.get(f"/articles/{original.slug}").data.decode()
    assert "Adapted by others" in page and "Our adaptation" in page
    adaptation = client.get(f"/articles/{response.json['slug']}").data.decode()
    assert "Based on" in adaptation and "The original practice" in adaptation


def test_a_drafts_based_on_never_shows_on_the_original(client, make):
    original = make.article(title="The original practice")
    author = make.user()
    token = make.token(author)
    response = client.post("/api/v1/articles", json={
        "title": "Secret adaptation", "kind": "case_study", "summary": "Not yet.", "based_on": original.slug},
        headers=bearer(token))
    assert response.status_code == 201 and response.json["status"] == "draft"
    assert "Secret adaptation" not in client.get(f"/articles/{original.slug}").data.decode()


def test_basing_on_a_draft_itself_or_nothing_is_refused_and_changes_nothing(client, make):
    author = make.user()
    token = make.token(author)
    article = make.article(author, title="Mine")
    draft = make.article(author, title="A draft", status="draft")
    for value in (draft.slug, article.slug, "no-such-practice", 42):
        response = _patch(client, token, article, based_on=value)
        assert response.status_code == 422, value
        assert "based_on" in response.json["error"]["fields"]
    data = client.get(f"/api/v1/articles/{article.slug}", headers=bearer(token)).json
    assert data["based_on"] is None and data["revision"] == 1


def test_based_on_can_be_changed_and_cleared(client, make):
    first, second = make.article(title="First"), make.article(title="Second")
    author = make.user()
    token = make.token(author)
    article = make.article(author, title="Adapting")
    assert _patch(client, token, article, based_on=first.slug).json["based_on"]["slug"] == first.slug
    assert _patch(client, token, article, based_on=second.slug).json["based_on"]["slug"] == second.slug
    assert _patch(client, token, article, based_on="").json["based_on"] is None


def test_the_edit_form_sets_based_on(client, make, auth):
    original = make.article(title="Original")
    author = make.user()
    article = make.article(author, title="Edited")
    auth.login(author)
    page = client.get(f"/articles/{article.slug}/edit").data.decode()
    assert 'name="based_on"' in page
    response = client.post(f"/articles/{article.slug}/edit", data={
        "title": "Edited", "kind": "case_study", "summary": "What we tried.", "body": "## Context\n\nSome text.",
        "tags": "", "evidence_level": "", "stage": "", "edit_policy": "agency", "review_by": "",
        "based_on": original.slug, "base_revision": "1", "change_note": ""})
    assert response.status_code == 302
    assert "Edited" in client.get(f"/articles/{original.slug}").data.decode()
    refused = client.post(f"/articles/{article.slug}/edit", data={
        "title": "Edited", "kind": "case_study", "summary": "What we tried.", "body": "## Context\n\nSome text.",
        "tags": "", "evidence_level": "", "stage": "", "edit_policy": "agency", "review_by": "",
        "based_on": article.slug, "base_revision": "2", "change_note": ""})
    assert refused.status_code == 422 and "cannot be based on itself" in refused.data.decode()
