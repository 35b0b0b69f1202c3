"""Hostile input gets 404 or 422 (an error page, or the JSON error shape), never a 500: on SQLite and PostgreSQL.

Run with EXCHANGE_TEST_DATABASE_URL set for PostgreSQL, whose integers are 32 or 64 bits and whose text
cannot hold NUL.
"""
import pytest

from tests.conftest import bearer

HUGE = "99999999999999999999999"
JUST_OVER_INT4 = str(2**31)
CLIENT_ERRORS = (400, 404, 422)

VISITOR_GETS = [
    f"/people/{HUGE}", f"/people/{JUST_OVER_INT4}", f"/api/v1/comments/{HUGE}",
    "/articles/%00x", "/articles/x%00/history", "/tags/%00", "/agencies/a%00b", "/feeds/tags/%00.atom",
    "/case-studies?agency=%00", "/case-studies?tag=a%00", "/api/v1/articles?agency=%00", "/api/v1/articles?tag=%00",
    "/api/v1/articles/%00", "/search?q=a%00b", "/search?agency=%00", "/api/v1/search?q=%00",
    "/search?q=x&endpoint=site.home", "/search?q=x&_method=POST", "/search?q=x&_external=1&_anchor=a",
    "/case-studies?page=2&endpoint=x", "/case-studies?page=2&_scheme=javascript",
    "/api/v1/articles?page=99999999999999999999", "/api/v1/articles?per_page=99999999999999999999",
]


def _is_error_shape(response) -> bool:
    if response.is_json:
        return set(response.json["error"]) >= {"code", "message"}
    return b"skip-link" in response.data


@pytest.mark.parametrize("path", VISITOR_GETS)
def test_visitor_hostile_get_is_not_a_500(client, path):
    response = client.get(path)
    assert response.status_code in (200, *CLIENT_ERRORS), response.data[:300]
    if response.status_code != 200:
        assert _is_error_shape(response)
    assert b'href="javascript:' not in response.data


@pytest.mark.parametrize("path", [f"/profile/tokens/{HUGE}/revoke", f"/profile/tokens/{JUST_OVER_INT4}/revoke"])
def test_member_hostile_token_id_is_404(client, auth, make, path):
    auth.login(make.user())
    assert client.post(path).status_code == 404


@pytest.mark.parametrize("request_", [
    ("post", f"/admin/people/{HUGE}/role"), ("post", f"/admin/people/{JUST_OVER_INT4}/active"),
    ("post", f"/admin/moderation/comments/{HUGE}/hide"), ("post", f"/admin/moderation/flags/{HUGE}/dismiss"),
    ("get", f"/admin/audit?actor={HUGE}"), ("get", f"/admin/audit?actor={JUST_OVER_INT4}"),
    ("get", "/admin/audit?action=%00"), ("get", "/admin/people?q=%00"),
])
def test_admin_hostile_ids_are_not_500(client, auth, make, request_):
    auth.login(make.admin())
    method, path = request_
    assert getattr(client, method)(path).status_code in (200, 404, 422)


@pytest.fixture
def author(client, make):
    user = make.user()
    headers = bearer(make.token(user))
    article = client.post("/api/v1/articles", headers=headers, json={
        "title": "Hostile numbers", "kind": "case_study", "summary": "S.", "body": "Text.", "status": "published"})
    return headers, article.json["slug"]


@pytest.mark.parametrize("body", [
    '{"title": "T", "kind": "case_study", "summary": "S", "body": "B", "evidence_level": 1e400}',
    '{"title": "T", "kind": "case_study", "summary": "S", "body": "B", "evidence_level": 18446744073709551616}',
    '{"title": "T", "kind": "case_study", "summary": "S", "body": "B", "evidence_level": NaN}',
    '{"title": "T", "kind": "case_study", "summary": "S", "body": "B", "evidence_level": -Infinity}',
    '{"title": "T", "kind": "case_study", "summary": "S", "body": "B", "tags": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"title": "T\\u0000", "kind": "case_study", "summary": "S", "body": "B"}',
    "[" * 100_000 + "]" * 100_000,
])
def test_hostile_json_on_create_is_4xx(client, author, body):
    headers, _ = author
    response = client.post("/api/v1/articles", data=body, content_type="application/json", headers=headers)
    assert response.status_code in (400, 422), response.data[:300]
    assert _is_error_shape(response)


@pytest.mark.parametrize("base_revision", ["1e400", str(2**31), str(2**63), str(2**64), HUGE, "-1e400", "1.5"])
def test_hostile_base_revision_is_4xx(client, author, base_revision):
    headers, slug = author
    body = '{"title": "New title", "base_revision": ' + base_revision + "}"
    response = client.patch(f"/api/v1/articles/{slug}", data=body, content_type="application/json", headers=headers)
    assert response.status_code in (409, 422), response.data[:300]
    assert _is_error_shape(response)


@pytest.mark.parametrize("query", ["endpoint=site.home", "_method=POST", "_external=1&_anchor=x", "_scheme=javascript"])
def test_page_links_keep_reserved_argument_names_as_plain_arguments(app, query):
    from exchange.urls import page_url

    with app.test_request_context(f"/case-studies?{query}&page=1"):
        link = page_url(2)
    assert link.startswith("/case-studies?") and "page=2" in link and query.split("=")[0] in link
