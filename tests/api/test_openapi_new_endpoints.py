"""The document agrees with the server on the endpoints of this round (found by Schemathesis, seed 20261201)."""
import jsonschema
import pytest

from tests.conftest import bearer


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def _valid(document, name, value) -> bool:
    schema = {**document["components"]["schemas"][name], "components": document["components"]}
    try:
        jsonschema.validate(value, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    except jsonschema.ValidationError:
        return False
    return True


def test_an_endorsement_with_an_adoption_story_is_invalid_in_the_document_as_on_the_server(client, make, document):
    body = {"kind": "endorse", "adopted_on": "2026-09-11", "status": None}
    assert not _valid(document, "EndorsementInput", body)
    article = make.article(status="published")
    token = make.token(make.user())
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json=body, headers=bearer(token))
    assert response.status_code == 422
    assert _valid(document, "EndorsementInput", {"kind": "endorse", "adopted_on": None, "outcome": ""})
    assert _valid(document, "EndorsementInput", {"kind": "adopt", "adopted_on": "2026-09-11", "status": "in_use"})


def test_a_challenge_slug_may_be_empty_or_null_but_not_a_route_word(client, make, document):
    assert _valid(document, "ChallengeInput", {"title": "Bins", "problem": "Full.", "slug": ""})
    assert _valid(document, "ChallengeInput", {"title": "Bins", "problem": "Full.", "slug": None})
    assert not _valid(document, "ChallengeInput", {"title": "Bins", "problem": "Full.", "slug": "new"})
    token = make.token(make.user())
    refused = client.post("/api/v1/challenges", json={"title": "Bins overflowing", "problem": "Full bins.",
                                                      "slug": "new"}, headers=bearer(token))
    assert refused.status_code == 422


def test_adoptions_are_public_like_the_article(document):
    assert {} in document["paths"]["/articles/{slug}/adoptions"]["get"]["security"]


def test_an_adoption_date_may_be_empty_as_the_server_takes_it(client, make, document):
    body = {"kind": "adopt", "adopted_on": "", "note": "", "outcome": "", "status": None}
    assert _valid(document, "EndorsementInput", body)
    assert not _valid(document, "EndorsementInput", {"kind": "adopt", "adopted_on": "last spring"})
    article = make.article(status="published")
    token = make.token(make.user())
    assert client.put(f"/api/v1/articles/{article.slug}/endorsement", json=body,
                      headers=bearer(token)).status_code == 200


@pytest.mark.parametrize("based_on", ["\x00abc", "a\ud800b", "Not A Slug", "x" * 200])
def test_based_on_that_is_no_slug_is_a_422_not_a_500(client, make, based_on):
    # Schemathesis on PostgreSQL (seed 20261201): a NUL in based_on reached the database and answered 500.
    author = make.user()
    token = make.token(author)
    response = client.post("/api/v1/articles", headers=bearer(token), json={
        "title": "Bins collected on time", "kind": "case_study", "summary": "Fewer complaints.",
        "body": "## Context\n\nBins.", "based_on": based_on})
    assert response.status_code == 422
    assert "based_on" in response.json["error"]["fields"]
