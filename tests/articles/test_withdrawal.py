"""Taking an article down: withdraw with a reason and put back; delete a draft that was never published."""
import pytest
import sqlalchemy as sa

from tests.conftest import bearer

REASON = "Replaced by our 2027 guidance on reply times."


@pytest.fixture
def withdrawn(client, make, auth):
    """A published practice its author withdrew through the page; (article, author)."""
    author = make.user(name="Wanda Withdrawer")
    article = make.article(author, title="Old reply desk")
    auth.login(author)
    response = client.post(f"/articles/{article.slug}/archive", data={"reason": REASON})
    assert response.status_code == 302
    auth.logout()
    return article, author


def test_withdrawn_practice_stays_at_its_address_with_a_banner_saying_who_when_and_why(client, withdrawn):
    article, _ = withdrawn
    response = client.get(f"/articles/{article.slug}")
    assert response.status_code == 200
    banner = response.get_data(as_text=True).split('class="banner-withdrawn"', 1)[1].split("</div>", 1)[0]
    assert "Withdrawn by Wanda Withdrawer on" in banner and REASON in banner


def test_withdrawn_practice_leaves_lists_feeds_and_the_home_page(client, make, withdrawn):
    article, author = withdrawn
    make.article(author, title="Still here")
    for path in ("/case-studies", "/", f"/agencies/{author.agency.slug}", "/feeds/new.atom", "/api/v1/articles"):
        page = client.get(path).get_data(as_text=True)
        assert "Still here" in page, path
        assert "Old reply desk" not in page, path


def test_withdrawn_practice_leaves_search(new_app, make):
    app = new_app(SEARCH_BACKEND="whoosh")
    client = app.test_client()
    author = make.user()
    token = make.token(author)
    created = client.post("/api/v1/articles", headers=bearer(token), json={
        "title": "Zeppelin deliveries", "kind": "case_study", "summary": "Airships.", "body": "Zeppelins worked.",
        "status": "published"}).json
    assert client.get("/api/v1/search?q=zeppelin").json["total"] == 1
    response = client.patch(f"/api/v1/articles/{created['slug']}", headers=bearer(token), json={
        "status": "archived", "archive_reason": "Airships were grounded.", "base_revision": 1})
    assert response.status_code == 200
    assert client.get("/api/v1/search?q=zeppelin").json["total"] == 0


def test_withdrawing_makes_a_revision_that_says_why(client, make, withdrawn):
    article, author = withdrawn
    items = client.get(f"/api/v1/articles/{article.slug}/revisions", headers=bearer(make.token(author))).json["items"]
    assert items[0]["change_note"] == f"Status changed from published to archived. Why: {REASON}"


def test_withdrawing_without_a_reason_is_refused_and_changes_nothing(client, make, auth):
    author = make.user()
    article = make.article(author)
    auth.login(author)
    response = client.post(f"/articles/{article.slug}/archive", data={"reason": "   "})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Say why you are withdrawing" in page
    assert client.get(f"/api/v1/articles/{article.slug}").json["status"] == "published"


def test_putting_it_back_publishes_it_again_and_drops_the_banner(client, make, auth, withdrawn):
    article, author = withdrawn
    auth.login(author)
    response = client.post(f"/articles/{article.slug}/unarchive")
    assert response.status_code == 302
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "The practice is back" in page and "banner-withdrawn" not in page
    assert "Old reply desk" in client.get("/case-studies").get_data(as_text=True)
    notes = [r["change_note"] for r in client.get(f"/api/v1/articles/{article.slug}/revisions").json["items"]]
    assert notes[0] == "Status changed from archived to published."


def test_other_agencies_cannot_withdraw_or_put_back(client, make, auth, withdrawn):
    article, _ = withdrawn
    auth.login(make.user())
    assert client.post(f"/articles/{article.slug}/unarchive").status_code == 403
    assert client.get(f"/api/v1/articles/{article.slug}").json["status"] == "archived"


def test_an_admin_may_withdraw_any_practice(client, make, auth):
    article = make.article()
    auth.login(make.admin(name="Ada Admin"))
    assert client.post(f"/articles/{article.slug}/archive", data={"reason": "Misleading figures."}).status_code == 302
    assert "Withdrawn by Ada Admin" in client.get(f"/articles/{article.slug}").get_data(as_text=True)


# The API --------------------------------------------------------------------------------------------

def test_api_withdrawal_needs_a_reason_and_shows_it(client, make):
    author = make.user(name="Api Author")
    article = make.article(author)
    headers = bearer(make.token(author))
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=headers,
                            json={"status": "archived", "base_revision": 1})
    assert response.status_code == 422 and "archive_reason" in response.json["error"]["fields"]
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=headers,
                            json={"status": "archived", "base_revision": 1, "archive_reason": "Superseded."})
    assert response.status_code == 200
    withdrawn = response.json["withdrawn"]
    assert withdrawn["by"] == "Api Author" and withdrawn["reason"] == "Superseded." and withdrawn["at"]
    back = client.patch(f"/api/v1/articles/{article.slug}", headers=headers,
                        json={"status": "published", "base_revision": 2})
    assert back.status_code == 200 and back.json["withdrawn"] is None


@pytest.mark.parametrize("reason", [5, "x" * 301, "bad\x00reason"])
def test_api_refuses_a_bad_reason_whatever_the_status(client, make, reason):
    author = make.user()
    article = make.article(author)
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(make.token(author)),
                            json={"summary": "New summary.", "base_revision": 1, "archive_reason": reason})
    assert response.status_code == 422
    assert client.get(f"/api/v1/articles/{article.slug}").json["revision"] == 1


# Deleting a draft -----------------------------------------------------------------------------------

def test_deleting_a_never_published_draft_asks_then_removes_it_with_an_audit_entry(client, make, auth, app):
    from exchange.audit import AuditEntry
    from exchange.db import db

    author = make.user()
    draft = make.article(author, status="draft", title="Half an idea")
    auth.login(author)
    page = client.get(f"/articles/{draft.slug}/delete").get_data(as_text=True)
    assert "Delete this draft?" in page and "Half an idea" in page
    response = client.post(f"/articles/{draft.slug}/delete")
    assert response.status_code == 302
    assert "The draft “Half an idea” is deleted." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/articles/{draft.slug}").status_code == 404
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "article.delete_draft"))
        assert entry.actor_id == author.id and entry.target == draft.slug and "Half an idea" in entry.detail


def test_a_published_or_once_published_article_cannot_be_deleted(client, make, auth):
    author = make.user()
    article = make.article(author)
    auth.login(author)
    assert client.post(f"/articles/{article.slug}/delete").status_code == 409
    token = make.token(author)
    client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(token),
                 json={"status": "draft", "base_revision": 1})
    assert client.post(f"/articles/{article.slug}/delete").status_code == 409  # a draft again, but published once
    assert client.get(f"/articles/{article.slug}").status_code == 200


def test_outsiders_cannot_delete_a_draft(client, make, auth):
    draft = make.article(make.user(), status="draft")
    auth.login(make.user())
    assert client.post(f"/articles/{draft.slug}/delete").status_code == 404
    auth.logout()
    auth.login(make.admin())
    assert client.get(f"/articles/{draft.slug}").status_code == 200


def test_the_api_document_says_status_archived_requires_archive_reason(client, make):
    from jsonschema import Draft202012Validator

    document = client.get("/api/v1/openapi.json").json
    schema = {**document["components"]["schemas"]["ArticlePatch"], "components": document["components"]}
    validator = Draft202012Validator(schema)
    assert not validator.is_valid({"base_revision": 1, "status": "archived"})
    assert not validator.is_valid({"base_revision": 1, "status": "archived", "archive_reason": " "})
    assert validator.is_valid({"base_revision": 1, "status": "archived", "archive_reason": "Superseded."})
    assert validator.is_valid({"base_revision": 1, "status": "published"})


def test_status_archived_without_a_reason_is_422_even_when_archived_already(client, make):
    from tests.conftest import bearer

    author = make.user()
    article = make.article(author=author)
    token = make.token(author)
    url = f"/api/v1/articles/{article.slug}"
    assert client.patch(url, json={"status": "archived", "base_revision": 1, "archive_reason": "Superseded."},
                        headers=bearer(token)).status_code == 200
    again = client.patch(url, json={"status": "archived", "base_revision": 2}, headers=bearer(token))
    assert again.status_code == 422 and "archive_reason" in again.json["error"]["fields"]
