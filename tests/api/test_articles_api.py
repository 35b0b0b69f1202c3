"""The article rows of the JSON API."""
from tests.conftest import bearer

ARTICLE = {"title": "Crowd voting on park budgets", "kind": "case_study", "summary": "Residents ranked 40 ideas.",
           "body": "## Context\n\nText.", "tags": ["Crowd Voting", "participatory budgeting"], "status": "published",
           "evidence_level": 3, "stage": "pilot"}


def test_create_returns_201_with_the_article(client, make):
    user = make.user()
    response = client.post("/api/v1/articles", json=ARTICLE, headers=bearer(make.token(user)))
    assert response.status_code == 201
    article = response.json
    assert article["slug"] == "crowd-voting-on-park-budgets"
    assert article["tags"] == ["Crowd Voting", "participatory budgeting"]
    assert article["agency"]["slug"] == user.agency.slug and article["author"]["name"] == user.name
    assert article["revision"] == 1 and article["edit_policy"] == "agency"
    assert "<h2" in article["html"]
    assert article["endorsements"] == {"count": 0, "adoptions": 0, "agencies": 0, "score": 0}
    for key in ["created_at", "updated_at", "published_at", "review_by", "url", "featured", "evidence_level", "stage",
                "status"]:
        assert key in article


def test_create_without_token_is_401(client):
    response = client.post("/api/v1/articles", json=ARTICLE)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_create_with_bad_fields_is_422_naming_each(client, make):
    response = client.post("/api/v1/articles", json={**ARTICLE, "title": "x", "kind": "poem", "evidence_level": 9},
                           headers=bearer(make.token(make.user())))
    assert response.status_code == 422
    assert {"title", "kind", "evidence_level"} <= set(response.json["error"]["fields"])


def test_create_with_unknown_field_or_non_json_is_422_or_415(client, make):
    headers = bearer(make.token(make.user()))
    assert client.post("/api/v1/articles", json={**ARTICLE, "agency_id": 1}, headers=headers).status_code == 422
    assert client.post("/api/v1/articles", data="title=x", headers=headers).status_code == 415
    assert client.post("/api/v1/articles", json=["a list"], headers=headers).status_code == 422


def test_body_over_100_kb_is_422_and_over_1_mib_is_413(client, make):
    headers = bearer(make.token(make.user()))
    assert client.post("/api/v1/articles", json={**ARTICLE, "body": "x" * 100_001}, headers=headers).status_code == 422
    response = client.post("/api/v1/articles", json={**ARTICLE, "body": "x" * 1_100_000}, headers=headers)
    assert response.status_code == 413 and response.is_json


def test_patch_needs_base_revision(client, make):
    user = make.user()
    headers = bearer(make.token(user))
    slug = client.post("/api/v1/articles", json=ARTICLE, headers=headers).json["slug"]
    response = client.patch(f"/api/v1/articles/{slug}", json={"title": "New title"}, headers=headers)
    assert response.status_code == 422 and "base_revision" in response.json["error"]["fields"]


def test_patch_then_stale_patch_is_409_with_current_revision(client, make):
    user = make.user()
    headers = bearer(make.token(user))
    slug = client.post("/api/v1/articles", json=ARTICLE, headers=headers).json["slug"]
    first = client.patch(f"/api/v1/articles/{slug}",
                         json={"title": "Second title", "base_revision": 1, "change_note": "x"}, headers=headers)
    assert first.status_code == 200 and first.json["revision"] == 2
    stale = client.patch(f"/api/v1/articles/{slug}", json={"title": "Lost title", "base_revision": 1}, headers=headers)
    assert stale.status_code == 409
    assert stale.json["error"]["current_revision"] == 2
    assert client.get(f"/api/v1/articles/{slug}").json["title"] == "Second title"


def test_patch_by_other_agency_is_403(client, make):
    slug = client.post("/api/v1/articles", json=ARTICLE, headers=bearer(make.token(make.user()))).json["slug"]
    response = client.patch(f"/api/v1/articles/{slug}", json={"title": "Hijack", "base_revision": 1},
                            headers=bearer(make.token(make.user())))
    assert response.status_code == 403


def test_token_user_sees_their_draft_others_get_404(client, make):
    user = make.user()
    headers = bearer(make.token(user))
    slug = client.post("/api/v1/articles", json={**ARTICLE, "status": "draft"}, headers=headers).json["slug"]
    assert client.get(f"/api/v1/articles/{slug}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/articles/{slug}").status_code == 404
    assert client.get(f"/api/v1/articles/{slug}/revisions").status_code == 404


def test_list_filters_and_pages(client, make):
    user = make.user()
    headers = bearer(make.token(user))
    client.post("/api/v1/articles", json=ARTICLE, headers=headers)
    client.post("/api/v1/articles", json={**ARTICLE, "title": "A playbook for voting", "kind": "playbook", "tags": []},
                headers=headers)
    assert client.get("/api/v1/articles?kind=playbook").json["total"] == 1
    assert client.get("/api/v1/articles?tag=crowd-voting").json["total"] == 1
    assert client.get(f"/api/v1/articles?agency={user.agency.slug}&per_page=1").json["total"] == 2
    assert len(client.get("/api/v1/articles?per_page=1").json["items"]) == 1
    assert client.get("/api/v1/articles?sort=sideways").status_code == 422
    assert client.get("/api/v1/articles?tag=nope").status_code == 422


def test_tags_and_agencies_have_counts(client, make):
    user = make.user()
    client.post("/api/v1/articles", json=ARTICLE, headers=bearer(make.token(user)))
    tags = {t["slug"]: t["article_count"] for t in client.get("/api/v1/tags").json["items"]}
    assert tags["crowd-voting"] == 1
    agencies = {a["slug"]: a["article_count"] for a in client.get("/api/v1/agencies").json["items"]}
    assert agencies[user.agency.slug] == 1


def test_openapi_describes_the_article_rows(client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert {"/articles", "/articles/{slug}", "/articles/{slug}/revisions", "/tags"} <= set(document["paths"])


def test_list_or_object_values_are_422_not_500(client, make):
    headers = bearer(make.token(make.user()))
    for field, value in [("kind", []), ("edit_policy", {}), ("stage", ["pilot"]), ("title", ["x"]), ("tags", "a" * 50)]:
        response = client.post("/api/v1/articles", json={**ARTICLE, field: value}, headers=headers)
        assert response.status_code == 422, (field, response.status_code)
