"""Practices from places like mine: the agency's country and level of government as facets and filters."""
import pytest

from exchange.accounts.models import LEVELS
from exchange.accounts.places import LEVEL_NAMES, country_name
from exchange.permissions import SYSTEM
from tests.search.conftest import search, slugs


@pytest.fixture
def places(make, publish):
    """Five practices about ferries: two local in GB, one national in GB, one local in NL, one regional in CA."""
    agencies = {
        "northvale": make.agency("northvale", level="local", country="GB"),
        "westmark": make.agency("westmark", level="local", country="GB"),
        "nds": make.agency("nds", level="national", country="GB"),
        "zuidstad": make.agency("zuidstad", level="local", country="NL"),
        "prairie": make.agency("prairie", level="regional", country="CA"),
    }
    for slug, agency in agencies.items():
        publish(author=make.user(agency=agency), title=f"Ferries {slug}", body="Running ferries well.")
    return agencies


def _counts(answer, facet):
    return {value["value"]: value["count"] for value in answer["facets"][facet]}


def test_country_and_level_are_counted_as_facets(client, places):
    answer = search(client, q="ferries")
    assert _counts(answer, "country") == {"GB": 3, "NL": 1, "CA": 1}
    assert _counts(answer, "level") == {"local": 3, "national": 1, "regional": 1}


def test_facet_labels_say_the_country_and_level_in_words(client, places):
    answer = search(client, q="ferries")
    assert {v["value"]: v["label"] for v in answer["facets"]["country"]} == {
        "GB": "United Kingdom", "NL": "Netherlands", "CA": "Canada"}
    assert [v["label"] for v in answer["facets"]["level"]] == [
        "National government", "Regional government", "Local government"]


@pytest.mark.parametrize("facet", ["country", "level"])
def test_each_place_count_is_what_its_filter_finds(client, places, facet):
    for value, count in _counts(search(client, q="ferries"), facet).items():
        assert search(client, q="ferries", **{facet: value})["total"] == count, value


def test_local_government_outside_my_country(client, places):
    assert sorted(slugs(search(client, q="ferries", level="local", country="-GB"))) == ["ferries-zuidstad"]
    assert sorted(slugs(search(client, country="-GB"))) == ["ferries-prairie", "ferries-zuidstad"]
    assert sorted(slugs(search(client, q="ferries", level="-local"))) == ["ferries-nds", "ferries-prairie"]
    assert search(client, q="ferries", country="gb")["total"] == 3  # either case


def test_facets_under_an_exclusion_count_what_is_left(client, places):
    answer = search(client, q="ferries", country="-GB")
    assert _counts(answer, "country") == {"NL": 1, "CA": 1}
    assert _counts(answer, "level") == {"local": 1, "regional": 1}


def test_drafts_are_not_counted_in_place_facets(client, make, places):
    secret = make.agency("secretland", level="other", country="FR")
    make.article(author=make.user(agency=secret), title="Ferries in secret", body="Running ferries.", status="draft")
    answer = search(client, q="ferries")
    assert "FR" not in _counts(answer, "country") and "other" not in _counts(answer, "level")
    assert search(client, q="ferries", country="FR")["total"] == 0


def test_moving_an_agency_moves_its_practices_in_search(client, app, places):
    from exchange.accounts.services import get_agency, update_agency

    with app.app_context():
        agency = get_agency("zuidstad")
        update_agency(SYSTEM, agency, agency.name, agency.acronym, "regional", "BE", agency.domain_names)
    assert slugs(search(client, q="ferries", country="BE", level="regional")) == ["ferries-zuidstad"]
    assert search(client, q="ferries", country="NL")["total"] == 0


def test_reindex_keeps_country_and_level(client, runner, places):
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert _counts(search(client, q="ferries"), "country") == {"GB": 3, "NL": 1, "CA": 1}
    assert slugs(search(client, q="ferries", country="CA", level="regional")) == ["ferries-prairie"]


def test_results_name_the_agency_s_country_and_level(client, places):
    result = search(client, q="ferries", country="CA")["results"][0]
    assert result["agency"] == {"slug": "prairie", "name": "Prairie", "country": "CA", "level": "regional"}


@pytest.mark.parametrize("args", [{"country": "ZZ"}, {"country": "GBR"}, {"country": "--GB"}, {"level": "city"},
                                  {"level": "-"}, {"country": "-"}])
def test_bad_place_filters_are_refused_by_the_api(client, places, args):
    response = client.get("/api/v1/search", query_string={"q": "ferries", **args})
    assert response.status_code == 422, args
    assert set(response.get_json()["error"]["fields"]) == set(args)


def test_bad_place_filters_are_left_out_of_the_page_with_a_notice(client, places):
    response = client.get("/search?q=ferries&country=ZZ&level=city")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "5 results" in page
    assert "two-letter country code" in page


def test_the_page_offers_places_as_filters_and_their_opposite(client, places):
    page = client.get("/search?q=ferries").get_data(as_text=True)
    assert "United Kingdom" in page and "Local government" in page
    assert 'href="/search?q=ferries&amp;country=GB"' in page
    chosen = client.get("/search?q=ferries&country=GB").get_data(as_text=True)
    assert 'href="/search?q=ferries&amp;country=-GB"' in chosen  # all but the United Kingdom
    assert "(Local government, United Kingdom)" in chosen  # each result says where its agency is
    outside = client.get("/search?q=ferries&country=-GB").get_data(as_text=True)
    assert "Not United Kingdom" in outside and "2 results" in outside


def test_every_level_has_a_name():
    assert set(LEVEL_NAMES) == set(LEVELS)
    assert country_name("NZ") == "New Zealand" and country_name("") == ""
