"""Facets count the results; each count is what its filter finds; filters combine."""
import pytest

from tests.search.conftest import search

PARAMETER = {"kind": "kind", "tag": "tag", "agency": "agency", "evidence_level": "evidence_min", "stage": "stage"}


@pytest.fixture
def library(make, publish):
    """Six practices about transport, from two agencies, of both kinds, with tags, stages and evidence."""
    harbour, lakeland = make.agency("harbour"), make.agency("lakeland")
    at_harbour, at_lakeland = make.user(agency=harbour), make.user(agency=lakeland)
    specs = [
        (at_harbour, "case_study", ["Open data", "Buses"], "pilot", 2),
        (at_harbour, "case_study", ["Buses"], "scaled", 4),
        (at_harbour, "playbook", ["Open data"], None, None),
        (at_lakeland, "case_study", ["Open data", "Social media"], "pilot", 3),
        (at_lakeland, "case_study", ["Social media"], "implemented", None),
        (at_lakeland, "playbook", ["Buses", "Social media"], "idea", None),
    ]
    for n, (author, kind, tags, stage, evidence) in enumerate(specs):
        publish(author=author, title=f"Transport practice {n}", body="Transport for everyone.", kind=kind,
                tags=tags, stage=stage or "", evidence_level=evidence or "")
    publish(title="Unrelated", body="Parks and gardens.", tags=["Buses"])


def _counts(answer, facet):
    return {value["value"]: value["count"] for value in answer["facets"][facet]}


def test_facets_count_every_match(client, library):
    answer = search(client, q="transport", per_page=2)
    assert answer["total"] == 6
    assert _counts(answer, "kind") == {"case_study": 4, "playbook": 2}
    assert _counts(answer, "agency") == {"harbour": 3, "lakeland": 3}
    assert _counts(answer, "tag") == {"open-data": 3, "buses": 3, "social-media": 3}
    assert _counts(answer, "stage") == {"pilot": 2, "scaled": 1, "implemented": 1, "idea": 1}
    assert _counts(answer, "evidence_level") == {"1": 3, "2": 3, "3": 2, "4": 1}


def test_facet_labels_are_names(client, library):
    answer = search(client, q="transport")
    assert {v["label"] for v in answer["facets"]["tag"]} == {"Open data", "Buses", "Social media"}
    assert {v["label"] for v in answer["facets"]["agency"]} == {"Harbour", "Lakeland"}
    assert {v["label"] for v in answer["facets"]["kind"]} == {"Case study", "Playbook"}


@pytest.mark.parametrize("facet", list(PARAMETER))
def test_each_facet_count_is_what_its_filter_finds(client, library, facet):
    answer = search(client, q="transport")
    for value, count in _counts(answer, facet).items():
        filtered = search(client, q="transport", **{PARAMETER[facet]: value})
        assert filtered["total"] == count, (facet, value)


def test_filters_combine(client, library):
    answer = search(client, q="transport", kind="case_study", tag="open-data", agency="lakeland")
    assert answer["total"] == 1
    assert _counts(answer, "stage") == {"pilot": 1}
    both_tags = search(client, q="transport", tag="open-data,social-media")
    assert both_tags["total"] == 1
    assert search(client, q="transport", tag=["buses", "social-media"])["total"] == 1


def test_facets_under_filters_agree_with_the_filtered_total(client, library):
    answer = search(client, q="transport", agency="harbour")
    assert answer["total"] == 3
    assert sum(_counts(answer, "kind").values()) == 3
    for value, count in _counts(answer, "tag").items():
        assert search(client, q="transport", agency="harbour", tag=value)["total"] == count


def test_filters_without_words_browse_everything_published(client, library):
    assert search(client, tag="buses")["total"] == 4
    assert search(client, kind="playbook", agency="lakeland")["total"] == 1


def test_the_page_links_facets_as_filters_and_back(client, library):
    page = client.get("/search?q=transport").get_data(as_text=True)
    assert 'href="/search?q=transport&amp;kind=playbook"' in page
    assert 'href="/search?q=transport&amp;tag=buses"' in page
    filtered = client.get("/search?q=transport&tag=buses").get_data(as_text=True)
    assert "3 results" in filtered
    assert 'href="/search?q=transport&amp;tag=buses,open-data"' in filtered  # adds a second topic
    assert 'href="/search?q=transport"' in filtered  # removes the topic


def test_unknown_filter_values_are_refused_by_the_api(client, library):
    for args in ({"kind": "memo"}, {"stage": "done"}, {"evidence_min": "9"}, {"evidence_min": "x"}, {"sort": "random"}):
        response = client.get("/api/v1/search", query_string={"q": "transport", **args})
        assert response.status_code == 422, args
        assert response.get_json()["error"]["fields"]


def test_unknown_filter_values_are_left_out_of_the_page_with_a_notice(client, library):
    response = client.get("/search?q=transport&kind=memo&sort=random")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "We left out filters we did not understand" in page and "6 results" in page


def test_an_unknown_topic_or_agency_is_422_in_the_api_as_on_the_list(client, library):
    """One rule for every list (README, "The API"): a filter naming nothing is refused, naming it."""
    for name, value in (("tag", "no-such-topic"), ("agency", "nowhere")):
        response = client.get("/api/v1/search", query_string={"q": "transport", name: value})
        assert response.status_code == 422 and name in response.json["error"]["fields"]
        assert client.get("/api/v1/articles", query_string={name: value}).status_code == 422


def test_an_unknown_topic_or_agency_finds_nothing_on_the_page(client, library):
    assert client.get("/search?q=transport&tag=no-such-topic").status_code == 200
    assert client.get("/search?q=transport&agency=nowhere").status_code == 200
