"""Lists of practices narrowed by where the agencies are: ``country=`` and ``level=``, "-" for every other."""
import pytest


@pytest.fixture
def places(make):
    """A local case study in GB, a local one in NL, a national one in GB, a regional playbook in CA."""
    specs = [("northvale", "local", "GB", "case_study"), ("zuidstad", "local", "NL", "case_study"),
             ("nds", "national", "GB", "case_study"), ("prairie", "regional", "CA", "playbook")]
    for slug, level, country, kind in specs:
        author = make.user(agency=make.agency(slug, level=level, country=country))
        make.article(author=author, title=f"Practice {slug}", kind=kind)


def _api(client, **args):
    response = client.get("/api/v1/articles", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(item["slug"] for item in response.get_json()["items"])


def test_the_api_lists_by_country_and_level(client, places):
    assert _api(client, country="GB") == ["practice-nds", "practice-northvale"]
    assert _api(client, level="local", country="-GB") == ["practice-zuidstad"]
    assert _api(client, level="-local") == ["practice-nds", "practice-prairie"]
    assert _api(client, kind="case_study", country="nl") == ["practice-zuidstad"]


def test_the_api_counts_only_what_the_filter_keeps(client, places):
    assert client.get("/api/v1/articles?country=-GB").get_json()["total"] == 2


@pytest.mark.parametrize("args", [{"country": "XX"}, {"country": "United Kingdom"}, {"level": "municipal"},
                                  {"level": "--local"}])
def test_the_api_refuses_a_place_that_is_not_one(client, places, args):
    response = client.get("/api/v1/articles", query_string=args)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == list(args)


def test_a_draft_is_not_listed_by_its_place(client, make, places):
    author = make.user(agency=make.agency("hidden", level="other", country="FR"))
    make.article(author=author, title="Hidden practice", status="draft")
    assert client.get("/api/v1/articles?country=FR").get_json()["total"] == 0
    assert "France" not in client.get("/case-studies").get_data(as_text=True)  # no country to choose


def test_the_case_study_list_narrows_by_place_and_says_it_in_words(client, places):
    page = client.get("/case-studies?level=local&country=-GB").get_data(as_text=True)
    assert "Practice zuidstad" in page and "Practice northvale" not in page
    assert '<option value="-GB" selected>Outside United Kingdom</option>' in page
    assert '<option value="local" selected>Local government</option>' in page
    assert "1 published" in page


def test_the_topic_and_playbook_lists_offer_the_place_filter(client, make, places):
    assert 'name="country"' in client.get("/playbooks").get_data(as_text=True)
    make.article(author=make.user(agency=make.agency("harbour", level="local", country="IE")), title="Buses",
                 tags=["Buses"])
    page = client.get("/tags/buses?country=-IE").get_data(as_text=True)
    assert "Nothing published in this topic yet." in page and 'name="level"' in page


def test_a_nonsense_place_on_a_page_is_ignored(client, places):
    response = client.get("/case-studies?country=ZZZ&level=city")
    assert response.status_code == 200
    assert "3 published" in response.get_data(as_text=True)


def test_the_agency_page_says_its_level_and_country_in_words(client, places):
    page = client.get("/agencies/zuidstad").get_data(as_text=True)
    assert "Local government" in page and "Netherlands" in page
    assert 'href="/search?country=NL"' in page


def test_the_openapi_document_describes_the_place_filters(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/articles", "/search"):
        names = {parameter["name"]: parameter for parameter in paths[path]["get"]["parameters"]}
        assert "-GB" in names["country"]["description"]
        assert names["level"]["schema"]["pattern"].startswith("^")
