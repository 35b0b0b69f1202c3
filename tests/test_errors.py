"""Error pages in the site's layout; JSON under /api/; no traceback ever shown."""
import pytest


def test_404_page_in_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data and b"skip-link" in response.data


def test_405_page(client):
    response = client.put("/login")
    assert response.status_code == 405


@pytest.fixture
def broken_app(new_app):
    app = new_app(TESTING=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret internals")

    return app


def test_500_shows_a_reference_and_no_traceback(broken_app, caplog):
    response = broken_app.test_client().get("/boom", headers={"X-Request-Id": "abc123"})
    assert response.status_code == 500
    assert b"abc123" in response.data
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert "abc123" in caplog.text


def test_500_under_api_is_json(broken_app):
    response = broken_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"
