"""Conditional requests, request ids, logs and running behind a proxy."""
import json
import logging


def test_visitor_page_answers_conditional_request_with_304(client, make):
    article = make.article()
    first = client.get(f"/articles/{article.slug}")
    etag = first.headers["ETag"]
    again = client.get(f"/articles/{article.slug}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_etag_changes_when_the_article_changes(client, make, app):
    author = make.user()
    article = make.article(author, title="First title")
    etag = client.get(f"/articles/{article.slug}").headers["ETag"]
    with app.app_context():
        from exchange.accounts.services import get_user
        from exchange.articles.services import get_article, update_article

        update_article(get_user(author.id), get_article(None, article.slug), {"title": "Second title"}, 1)
    assert client.get(f"/articles/{article.slug}", headers={"If-None-Match": etag}).status_code == 200


def test_signed_in_pages_are_private_and_not_conditional(client, make, auth):
    auth.login(make.user())
    response = client.get("/")
    assert "private" in response.headers["Cache-Control"]
    assert "ETag" not in response.headers


def test_request_id_is_echoed_and_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="exchange.request"):
        response = client.get("/", headers={"X-Request-Id": "trace-123"})
    assert response.headers["X-Request-Id"] == "trace-123"
    lines = [json.loads(r.message) for r in caplog.records if r.name == "exchange.request"]
    assert lines[-1]["request_id"] == "trace-123" and lines[-1]["status"] == 200 and lines[-1]["path"] == "/"


def test_hostile_request_id_is_replaced(client):
    response = client.get("/", headers={"X-Request-Id": "<script>x</script>"})
    assert "<" not in response.headers["X-Request-Id"] and response.headers["X-Request-Id"]


def test_proxy_fix_trusts_forwarded_proto_when_configured(new_app):
    app = new_app(PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1)
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.headers.get("Strict-Transport-Security")


def test_forwarded_headers_ignored_without_proxy_fix(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_sessions_are_signed_by_one_signer_made_once(app, client, make, auth):
    """Flask makes a signer for every request by default; the secret keys cannot change while the app runs."""
    auth.login(make.user(name="Sam Signer"))
    assert b"Sam Signer" in client.get("/").data
    signer = app.extensions["exchange.session_signer"]
    assert b"Sam Signer" in client.get("/case-studies").data
    assert app.extensions["exchange.session_signer"] is signer


def test_every_response_gets_each_security_header_once(client, make):
    article = make.article()
    for path in ("/", f"/articles/{article.slug}", f"/articles/{article.slug}", "/nowhere"):
        headers = client.get(path).headers
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Vary"):
            assert len(headers.getlist(name)) == 1, (path, name)
