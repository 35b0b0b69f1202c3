"""HTTP manners of the API: methods and Allow, body content types and sizes."""
import pytest

from tests.conftest import bearer


@pytest.mark.parametrize("method", ["DELETE", "POST", "PUT", "PATCH"])
def test_wrong_method_on_an_existing_path_is_405_with_allow(client, method):
    response = client.open("/api/v1/me", method=method)
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_wrong_method_on_an_article_names_the_methods_it_takes(client, make):
    article = make.article(status="published")
    response = client.put(f"/api/v1/articles/{article.slug}")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS", "PATCH"}


def test_options_lists_only_the_methods_that_are_there(client):
    response = client.options("/api/v1/search")
    assert response.status_code == 200
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_a_path_no_endpoint_has_is_json_404_for_every_method(client, method):
    response = client.open("/api/v1/no/such/endpoint", method=method)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert "There is no API endpoint /api/v1/no/such/endpoint" in response.json["error"]["message"]


def test_a_body_without_json_content_type_is_415(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", data='{"title": "x"}', headers=bearer(token))
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"


def test_a_body_with_another_content_type_is_415(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", data="title=x", content_type="application/x-www-form-urlencoded",
                           headers=bearer(token))
    assert response.status_code == 415
    assert response.is_json


def test_malformed_json_is_400(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", data='{"title": ', content_type="application/json",
                           headers=bearer(token))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert "JSON" in response.json["error"]["message"]


def test_json_that_is_not_an_object_is_422(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", json=[1, 2], headers=bearer(token))
    assert response.status_code == 422


def test_json_with_charset_is_accepted(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", data='{"title": "A"}', content_type="application/json; charset=utf-8",
                           headers=bearer(token))
    assert response.status_code == 422  # read, then refused for its fields


def test_an_oversize_body_is_413_in_the_error_shape(client, make):
    token = make.token(make.user())
    body = '{"title": "' + "x" * (1024 * 1024 + 10) + '"}'
    response = client.post("/api/v1/articles", data=body, content_type="application/json", headers=bearer(token))
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_the_document_declares_no_length_limit_on_q_that_the_server_does_not_apply(client):
    from exchange.search.query import MAX_CHARS

    parameters = client.get("/api/v1/openapi.json").json["paths"]["/search"]["get"]["parameters"]
    q = next(p for p in parameters if p["name"] == "q")
    assert "maxLength" not in q["schema"]
    found = client.get("/api/v1/search", query_string={"q": "word " * 400}).json
    assert found["shortened"] is True and len(found["query"]) <= MAX_CHARS
