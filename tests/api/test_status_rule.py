"""Only the owning agency and admins change an article's status, and every change is a revision."""
import pytest

from tests.conftest import bearer

PLAYBOOK = {"kind": "playbook", "edit_policy": "open", "body": "## Play 1\n\nWhy."}


@pytest.mark.parametrize("status", ["draft", None, "archived"])
def test_other_agency_cannot_change_status_of_open_playbook(client, make, status):
    article = make.article(title="Open playbook", **PLAYBOOK)
    outsider = make.user()
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(make.token(outsider)),
                            json={"status": status, "base_revision": 1})
    assert response.status_code == 403
    assert "status" in response.json["error"]["message"]
    shown = client.get(f"/api/v1/articles/{article.slug}").json
    assert shown["status"] == "published" and shown["revision"] == 1


def test_other_agency_may_still_edit_an_open_playbook(client, make):
    article = make.article(title="Open playbook", **PLAYBOOK)
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(make.token(make.user())),
                            json={"summary": "Better words.", "status": "published", "base_revision": 1})
    assert response.status_code == 200 and response.json["summary"] == "Better words."


@pytest.mark.parametrize("who", ["agency", "admin"])
def test_owning_agency_and_admins_change_status_as_a_revision(client, make, who):
    author = make.user()
    article = make.article(author, title="Open playbook", **PLAYBOOK)
    actor = make.user(agency=author.agency) if who == "agency" else make.admin()
    headers = bearer(make.token(actor))
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=headers,
                            json={"status": "draft", "base_revision": 1, "change_note": "Needs a review"})
    assert response.status_code == 200 and response.json["status"] == "draft" and response.json["revision"] == 2
    latest = client.get(f"/api/v1/articles/{article.slug}/revisions", headers=headers).json["items"][0]
    assert "published to draft" in latest["change_note"] and "Needs a review" in latest["change_note"]


def test_publish_and_archive_pages_make_revisions_and_refuse_other_agencies(client, make, auth):
    author = make.user()
    article = make.article(author, title="Open playbook", status="draft", **PLAYBOOK)
    outsider = make.user()
    auth.login(outsider)
    assert client.post(f"/articles/{article.slug}/publish").status_code == 404  # a draft they cannot see
    auth.logout()
    auth.login(author)
    slug = client.post(f"/articles/{article.slug}/publish").headers["Location"].removeprefix("/articles/")
    assert slug == "open-playbook"  # the public address it takes when first published
    auth.logout()
    auth.login(outsider)
    assert client.post(f"/articles/{slug}/archive", data={"reason": "Out of date."}).status_code == 403
    auth.logout()
    auth.login(author)
    client.post(f"/articles/{slug}/archive", data={"reason": "Out of date."})
    notes = [r["change_note"] for r in
             client.get(f"/api/v1/articles/{slug}/revisions", headers=bearer(make.token(author))).json["items"]]
    assert notes[:2] == ["Status changed from published to archived. Why: Out of date.",
                         "Status changed from draft to published."]
