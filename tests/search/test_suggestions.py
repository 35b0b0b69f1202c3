""""Did you mean": a correction only when it finds more; a query that finds nothing is run corrected."""
from tests.search.conftest import search, slugs


def _library(publish):
    """A small library where "one" is a commoner word than "open", and "done" is in it too."""
    portal = publish(title="Publishing open data", summary="Our open data portal.",
                     body="We publish open data every week, with one licence.")
    publish(title="One front desk", body="One desk for one city; we have done it with data on waits.")
    publish(title="One chart a week", body="One chart from our data, done in an hour.")
    return portal


def test_a_real_word_the_library_lacks_is_not_corrected_to_another(client, publish):
    _library(publish)
    answer = search(client, q="drone")
    assert answer["suggestion"] is None and answer["corrected"] is None
    assert answer["total"] == 0


def test_two_swapped_letters_are_corrected_to_the_word_they_spell(client, publish):
    portal = _library(publish)
    answer = search(client, q="opne")
    assert answer["suggestion"] is None  # not offered: it found nothing, so the corrected results are shown
    assert answer["corrected"] == "open"
    assert slugs(answer)[0] == portal.slug
    # with every word optional, "opne data" finds what has "data": shown, with the correction offered
    answer = search(client, q="opne data")
    assert answer["corrected"] is None and answer["total"] == 3
    assert answer["suggestion"] == "open data"


def test_a_query_that_finds_nothing_shows_the_corrected_results_and_a_way_back(client, publish):
    portal = publish(title="Participatory budgeting in Rijnvelde", body="Residents chose neighbourhood projects.")
    answer = search(client, q="neighbourhod")
    assert answer["query"] == "neighbourhod" and answer["corrected"] == "neighbourhood"
    assert slugs(answer) == [portal.slug]
    page = client.get("/search?q=neighbourhod").get_data(as_text=True)
    assert "Showing results for" in page and "neighbourhood" in page
    assert 'href="/search?q=neighbourhod&amp;as_typed=1"' in page


def test_search_instead_runs_the_query_as_typed(client, publish):
    publish(title="Participatory budgeting in Rijnvelde", body="Residents chose neighbourhood projects.")
    answer = search(client, q="neighbourhod", as_typed="1")
    assert answer["total"] == 0 and answer["corrected"] is None
    assert answer["suggestion"] == "neighbourhood"
    page = client.get("/search?q=neighbourhod&as_typed=1").get_data(as_text=True)
    assert "Showing results for" not in page and "Did you mean" in page


def test_a_correction_that_finds_no_more_is_not_offered(client, publish):
    publish(title="Bin collections", body="Missed bin collections fell.")
    publish(title="Bin lanes", body="Lanes for bin lorries.")
    answer = search(client, q="bin OR collections OR lanez")  # "lanes" finds no article the query misses
    assert answer["total"] == 2 and answer["suggestion"] is None and answer["corrected"] is None


def test_a_correction_is_offered_when_the_query_finds_some_and_it_finds_more(client, publish):
    publish(title="Bin collections", body="Missed bin collections fell.")
    publish(title="Recycling rounds", body="Recycling rounds every week.")
    answer = search(client, q="collections OR recyclng")
    assert answer["total"] == 1 and answer["corrected"] is None
    assert answer["suggestion"] == "collections OR recycling"


def test_the_api_schema_describes_the_corrected_answer(client):
    schema = client.get("/api/v1/openapi.json").get_json()
    results = schema["components"]["schemas"]["SearchResults"]["properties"]
    assert results["corrected"]["type"] == ["string", "null"]
    params = {p["name"] for p in schema["paths"]["/search"]["get"]["parameters"]}
    assert "as_typed" in params
