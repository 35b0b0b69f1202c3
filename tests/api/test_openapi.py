"""The OpenAPI document says no more and no less than the server does."""
import pytest

from tests.conftest import bearer

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def _operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def _request_schemas(document):
    for name, operation in _operations(document):
        if "requestBody" in operation:
            for content in operation["requestBody"]["content"].values():  # JSON, or multipart for uploads
                ref = content["schema"]["$ref"]
                yield name, document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_request_schema_says_what_is_required_and_refuses_other_fields(document):
    loose = [name for name, schema in _request_schemas(document)
             if "required" not in schema or schema.get("additionalProperties") is not False]
    assert not loose


def test_every_operation_documents_401(document):
    """Any request may carry a wrong token, and a wrong token is 401 everywhere."""
    assert [name for name, operation in _operations(document) if "401" not in operation["responses"]] == []


def test_every_operation_with_a_body_documents_400_413_415_and_422(document):
    missing = [name for name, operation in _operations(document) if "requestBody" in operation
               and not {"400", "413", "415", "422"} <= set(operation["responses"])]
    assert missing == []


def test_the_error_responses_include_415(document):
    assert "E415" in document["components"]["responses"]


def test_a_wrong_token_on_a_public_endpoint_is_401(client):
    assert client.get("/api/v1/tags", headers=bearer("exo_wrong")).status_code == 401


def test_204_answers_carry_no_content_type(client, make):
    article = make.article(status="published")
    token = make.token(make.user())
    client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": "endorse"}, headers=bearer(token))
    response = client.delete(f"/api/v1/articles/{article.slug}/endorsement", headers=bearer(token))
    assert response.status_code == 204
    assert "Content-Type" not in response.headers
    assert response.data == b""


def test_the_create_schema_requires_what_the_server_requires(client, make, document):
    schema = document["components"]["schemas"]["ArticleInput"]
    response = client.post("/api/v1/articles", json={"body": "Only a body."}, headers=bearer(make.token(make.user())))
    assert response.status_code == 422
    assert set(schema["required"]) <= set(response.json["error"]["fields"])


def test_the_document_describes_etags_if_match_and_page_links(document):
    for name, operation in _operations(document):
        if name.startswith("GET "):
            assert "304" in operation["responses"], name
            assert "ETag" in operation["responses"]["200"]["headers"], name
    patch = document["paths"]["/articles/{slug}"]["patch"]
    assert "412" in patch["responses"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    for path in ("/articles", "/search"):
        ok = document["paths"][path]["get"]["responses"]["200"]
        assert "Link" in ok["headers"]
        schema = ok["content"]["application/json"]["schema"]
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        assert {"next", "prev"} <= set(schema["properties"])


@pytest.mark.parametrize("tags", ["ok,\x00", "a" * 41, ",".join(f"t{i}" for i in range(9))])
def test_tags_the_server_refuses_as_text_the_schema_refuses_too(client, make, document, tags):
    """Schemathesis (seed 20261201) sent tags as one string holding a NUL; the schema let it through."""
    import jsonschema

    schema = document["components"]["schemas"]["ArticleInput"]["properties"]["tags"]
    body = {"title": "A fine title", "kind": "playbook", "summary": "Short.", "tags": tags}
    response = client.post("/api/v1/articles", json=body, headers=bearer(make.token(make.user())))
    assert response.status_code == 422
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(tags, schema)


@pytest.mark.parametrize("tags", ["open data, Transport ,", "a" * 40, "ß" * 40, ["ﬃ" * 40],
                                  ",".join(f"t{i}" for i in range(8))])
def test_tags_the_schema_takes_as_text_the_server_takes_too(client, make, document, tags):
    import jsonschema

    jsonschema.validate(tags, document["components"]["schemas"]["ArticleInput"]["properties"]["tags"])
    body = {"title": "A fine title", "kind": "playbook", "summary": "Short.", "tags": tags}
    assert client.post("/api/v1/articles", json=body, headers=bearer(make.token(make.user()))).status_code == 201


def test_every_optional_query_parameter_may_be_empty_and_the_server_agrees(client, make, document):
    """An empty parameter means absent (as a form's "any" sends it); Schemathesis found ``?kind=`` and
    ``?per_page=`` answered 200 while the document called them invalid."""
    import jsonschema

    make.article(status="published")
    token = make.token(make.user())
    checked = 0
    for path, item in document["paths"].items():
        if "{" in path or "get" not in item:
            continue
        for parameter in item["get"].get("parameters", []):
            if parameter["in"] != "query":
                continue
            jsonschema.validate("", parameter["schema"])
            response = client.get(f"/api/v1{path}?{parameter['name']}=", headers=bearer(token))
            assert response.status_code == 200, (path, parameter["name"], response.json)
            checked += 1
    assert checked >= 10


def test_the_document_names_the_unverified_refusal(document):
    """An unverified account is refused privileged actions with 403 ``unverified`` (issue 15): the document says so."""
    assert "unverified" in document["components"]["responses"]["E403"]["description"]
