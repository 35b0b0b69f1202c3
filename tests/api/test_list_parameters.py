"""One rule for the parameters of every API list: a value that is not one the parameter takes is 422
naming the parameter, whether it is a number, a choice, or a topic or agency that does not exist."""
import pytest

LISTS = ("/api/v1/articles", "/api/v1/search")


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("name, value", [("page", "abc"), ("page", "0"), ("page", "-3"), ("page", "10001"),
                                         ("per_page", "x"), ("per_page", "0"), ("per_page", "101"),
                                         ("kind", "bogus"), ("sort", "sideways"),
                                         ("tag", "no-such-topic"), ("agency", "no-such-agency")])
def test_a_bad_parameter_is_422_naming_it(client, path, name, value):
    response = client.get(path, query_string={name: value})
    assert response.status_code == 422, response.json
    assert name in response.json["error"]["fields"]


@pytest.mark.parametrize("path", LISTS)
def test_every_bad_parameter_is_named_at_once(client, path):
    response = client.get(path, query_string={"page": "x", "per_page": "1000", "kind": "poem"})
    assert response.status_code == 422
    assert {"page", "per_page", "kind"} <= set(response.json["error"]["fields"])


@pytest.mark.parametrize("path", LISTS)
def test_a_known_topic_and_agency_filter(client, make, path):
    article = make.article(status="published", tags=["open data"])
    response = client.get(path, query_string={"tag": "open-data", "agency": article.agency.slug})
    assert response.status_code == 200


@pytest.mark.parametrize("path", LISTS)
def test_good_values_are_200(client, path):
    assert client.get(path, query_string={"page": "2", "per_page": "5", "kind": "playbook"}).status_code == 200


def test_search_evidence_and_stage_are_422_too(client):
    assert "evidence_min" in client.get("/api/v1/search?evidence_min=9").json["error"]["fields"]
    assert "stage" in client.get("/api/v1/search?stage=someday").json["error"]["fields"]


def test_the_search_page_still_forgives_bad_values(client):
    assert client.get("/search?q=x&page=abc&kind=bogus").status_code == 200
