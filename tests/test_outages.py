"""A database outage or a missing search index is a 503 with Retry-After, never a 500 or an empty answer."""
import pytest

UNREACHABLE = "postgresql://nobody@127.0.0.1:9/none"


@pytest.fixture
def outage_client(new_app):
    return new_app(DATABASE_URL=UNREACHABLE, TESTING=False).test_client()


@pytest.mark.parametrize("path", ["/", "/case-studies", "/articles/some-article", "/people/1"])
def test_database_outage_is_a_503_page(outage_client, path):
    response = outage_client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert b"Temporarily unavailable" in response.data and b"Traceback" not in response.data


@pytest.mark.parametrize("path", ["/api/v1/articles", "/api/v1/tags", "/api/v1/articles/x"])
def test_database_outage_is_a_503_json_error(outage_client, path):
    response = outage_client.get(path)
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert response.json["error"]["code"] == "unavailable"


@pytest.fixture
def no_index_client(new_app, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return new_app(SEARCH_BACKEND="whoosh", SEARCH_INDEX=str(blocker / "index")).test_client()


def test_search_without_its_index_is_a_503_json_error(no_index_client):
    response = no_index_client.get("/api/v1/search?q=budget")
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert response.json["error"]["code"] == "unavailable"
    assert "Search is unavailable" in response.json["error"]["message"]


def test_search_page_without_its_index_says_so_with_503(no_index_client):
    response = no_index_client.get("/search?q=budget")
    assert response.status_code == 503
    assert b"Search is unavailable" in response.data
