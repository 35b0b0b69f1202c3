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


def test_healthz_reports_search(client):
    assert client.get("/healthz").json["checks"]["search"] == "ok"


def test_healthz_is_503_when_the_search_index_is_missing(new_app, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = new_app(SEARCH_BACKEND="whoosh", SEARCH_INDEX=str(blocker / "index"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["checks"]["search"] == "down"


def test_healthz_is_503_when_the_database_is_down(new_app, tmp_path):
    app = new_app(DATABASE_URL=f"sqlite:///{tmp_path}/missing-folder/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["checks"]["database"] == "down"
