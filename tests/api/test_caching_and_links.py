"""ETags for every reader, If-Match on edits, Vary, and links between the pages of a list."""
from tests.conftest import bearer


def test_api_gets_have_a_weak_etag_for_visitors_and_token_holders(client, make):
    article = make.article(status="published")
    token = make.token(make.user())
    for headers in ({}, bearer(token)):
        response = client.get(f"/api/v1/articles/{article.slug}", headers=headers)
        assert response.headers["ETag"].startswith('W/"')
        again = client.get(f"/api/v1/articles/{article.slug}",
                           headers={**headers, "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""


def test_api_answers_vary_on_authorization(client, make):
    article = make.article(status="published")
    token = make.token(make.user())
    for headers in ({}, bearer(token)):
        response = client.get(f"/api/v1/articles/{article.slug}", headers=headers)
        assert "Authorization" in response.headers["Vary"]


def test_token_holders_answers_stay_private(client, make):
    response = client.get("/api/v1/me", headers=bearer(make.token(make.user())))
    assert "private" in response.headers["Cache-Control"]


def test_pages_vary_on_cookie_signed_in_or_not(client, make, auth):
    assert "Cookie" in client.get("/").headers["Vary"]
    auth.login(make.user())
    assert "Cookie" in client.get("/").headers["Vary"]


def _patch(client, token, slug, body, **headers):
    return client.patch(f"/api/v1/articles/{slug}", json=body, headers={**bearer(token), **headers})


def test_if_match_with_the_current_etag_edits_without_base_revision(client, make):
    author = make.user()
    token = make.token(author)
    article = make.article(author=author, status="published")
    etag = client.get(f"/api/v1/articles/{article.slug}", headers=bearer(token)).headers["ETag"]
    response = _patch(client, token, article.slug, {"summary": "Shorter."}, **{"If-Match": etag})
    assert response.status_code == 200, response.json
    assert response.json["summary"] == "Shorter."


def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(client, make):
    author = make.user()
    token = make.token(author)
    article = make.article(author=author, status="published")
    etag = client.get(f"/api/v1/articles/{article.slug}", headers=bearer(token)).headers["ETag"]
    assert _patch(client, token, article.slug, {"summary": "First.", "base_revision": 1}).status_code == 200
    response = _patch(client, token, article.slug, {"summary": "Second."}, **{"If-Match": etag})
    assert response.status_code == 412
    assert response.json["error"]["code"] == "precondition_failed"
    assert client.get(f"/api/v1/articles/{article.slug}").json["summary"] == "First."


def test_base_revision_keeps_working_and_is_still_required_without_if_match(client, make):
    author = make.user()
    token = make.token(author)
    article = make.article(author=author, status="published")
    assert _patch(client, token, article.slug, {"summary": "Shorter."}).status_code == 422
    assert _patch(client, token, article.slug, {"summary": "Shorter.", "base_revision": 1}).status_code == 200
    assert _patch(client, token, article.slug, {"summary": "Again.", "base_revision": 1}).status_code == 409


def test_if_match_star_names_no_version_so_base_revision_is_still_required(client, make):
    # Schemathesis (seed 20261204) sent If-Match: * and no base_revision: the edit went through blind.
    author = make.user()
    token = make.token(author)
    article = make.article(author=author, status="published", summary="As it was.")
    response = _patch(client, token, article.slug, {"summary": "Blind."}, **{"If-Match": "*"})
    assert response.status_code == 422
    assert response.json["error"]["fields"]["base_revision"] == "required"
    assert client.get(f"/api/v1/articles/{article.slug}").json["summary"] == "As it was."
    with_revision = _patch(client, token, article.slug, {"summary": "Seen.", "base_revision": 1}, **{"If-Match": "*"})
    assert with_revision.status_code == 200


def test_a_paginated_list_links_to_its_next_and_previous_pages(client, make):
    for n in range(5):
        make.article(status="published", title=f"Practice number {n}")
    first = client.get("/api/v1/articles?per_page=2&sort=new")
    assert first.json["prev"] is None
    assert "page=2" in first.json["next"] and "per_page=2" in first.json["next"]
    assert 'rel="next"' in first.headers["Link"] and 'rel="prev"' not in first.headers["Link"]
    second = client.get(first.json["next"])
    assert second.json["page"] == 2
    assert "page=1" in second.json["prev"] and "page=3" in second.json["next"]
    last = client.get("/api/v1/articles?per_page=2&page=3")
    assert last.json["next"] is None and 'rel="prev"' in last.headers["Link"]


def test_search_results_link_their_pages(client):
    found = client.get("/api/v1/search?q=anything&per_page=2")
    assert found.status_code == 200
    assert found.json["prev"] is None and "next" in found.json
