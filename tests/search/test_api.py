"""GET /api/v1/search: its answer, its visibility rules, its place in the OpenAPI document."""
from tests.conftest import bearer
from tests.search.conftest import search


def test_a_search_answers_with_results_facets_and_suggestion(client, make, publish):
    agency = make.agency("harbour", name="Harbour City")
    publish(author=make.user(agency=agency), title="Harbour ferries", body="Ferries every ten minutes.",
            summary="Frequent ferries.", tags=["Transport"], stage="scaled", evidence_level=3)
    answer = search(client, q="ferry")
    assert set(answer) >= {"query", "total", "page", "results", "facets", "suggestion"}
    assert answer["query"] == "ferry" and answer["total"] == 1 and answer["page"] == 1
    result = answer["results"][0]
    assert result == {
        "slug": "harbour-ferries", "title": "Harbour ferries", "kind": "case_study",
        "agency": {"slug": "harbour", "name": "Harbour City", "country": "GB", "level": "national"},
        "summary": "Frequent ferries.",
        "snippet": "<mark>Ferries</mark> every ten minutes.", "tags": ["Transport"], "score": 0.0,
        "url": "/articles/harbour-ferries",
    }
    assert set(answer["facets"]) == {"kind", "tag", "agency", "evidence_level", "stage", "country", "level"}
    assert answer["facets"]["agency"] == [{"value": "harbour", "label": "Harbour City", "count": 1}]
    assert answer["suggestion"] is None


def test_drafts_stay_hidden_from_their_own_author_in_search(client, make, publish):
    author = make.user()
    publish(author=author, title="My draft ferries", body="Ferries.", status="draft")
    answer = client.get("/api/v1/search?q=ferries", headers=bearer(make.token(author))).get_json()
    assert answer["total"] == 0


def test_a_private_exchange_wants_a_token(new_app, make):
    from tests.conftest import Factory

    app = new_app(SEARCH_BACKEND="whoosh", PUBLIC_READ=False)
    Factory(app).article()  # this app's index exists (without one, search answers 503)
    client = app.test_client()
    assert client.get("/api/v1/search?q=x").status_code == 401
    assert client.get("/api/v1/search?q=x", headers=bearer(make.token(make.user()))).status_code == 200
    assert client.get("/search?q=x").status_code == 302  # visitors are sent to sign in


def test_a_bad_token_is_refused(client):
    response = client.get("/api/v1/search?q=x", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_the_openapi_document_describes_search(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "q", "kind", "tag", "agency", "evidence_min", "stage", "country", "level", "as_typed", "sort", "page",
        "per_page"}
    assert "SearchResult" in document["components"]["schemas"]


def test_the_openapi_document_stays_valid(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").get_json())
