"""CSRF on every form and security headers on every route."""
import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def csrf_app(new_app):
    return new_app(WTF_CSRF_ENABLED=True)


def test_post_without_csrf_token_is_refused(csrf_app):
    from tests.conftest import Factory

    user = Factory(csrf_app).user()
    response = csrf_app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"form expired" in response.data


def test_post_with_csrf_token_from_the_form_works(csrf_app):
    import re

    from tests.conftest import Factory

    user = Factory(csrf_app).user()
    client = csrf_app.test_client()
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").data).group(1)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token.decode()})
    assert response.status_code == 302


def test_logout_without_csrf_token_is_refused(csrf_app):
    import re

    from tests.conftest import Factory

    user = Factory(csrf_app).user()
    client = csrf_app.test_client()
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").data).group(1)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token.decode()})
    assert client.post("/logout").status_code == 400


def _routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments:
            yield rule.rule


def test_security_headers_on_every_route(app, client):
    checked = 0
    for path in list(_routes(app)) + ["/no-such-page", "/api/v1/no-such-thing", "/people/999"]:
        response = client.get(path)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, path
        assert "object-src 'none'" in csp and "frame-ancestors 'self'" in csp and "form-action 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert response.headers.get("Referrer-Policy"), path
        checked += 1
    assert checked >= 8


def test_no_inline_script_or_style_in_pages(client):
    for path in ["/", "/login", "/register", "/no-such-page"]:
        html = client.get(path).data.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html, path


def test_request_larger_than_one_mebibyte_gets_413(client):
    response = client.post("/login", data={"email": "a@b.example", "password": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
