"""Challenges in search (issue #18): public challenges are found, with kind=challenge as a facet value;
drafts never show in results, totals, facets or "did you mean"; every change re-indexes. Every backend."""
import sqlalchemy as sa

from exchange.challenges.models import Challenge
from exchange.db import db
from tests.conftest import bearer
from tests.search.conftest import search, slugs

PROBLEM = "Residents wait weeks for a reply about missed zanzibar collections. We tried a web form."


def _ask(client, make, person, **fields):
    body = {"title": "Replying about missed collections", "problem": PROBLEM, "tags": ["waste"], "status": "open",
            **fields}
    response = client.post("/api/v1/challenges", json=body, headers=bearer(make.token(person)))
    assert response.status_code == 201, response.json
    return response.json["slug"]


def _patch(client, make, person, slug, **body):
    response = client.patch(f"/api/v1/challenges/{slug}", json=body, headers=bearer(make.token(person)))
    assert response.status_code == 200, response.json
    return response.json


def _kinds(answer) -> dict:
    return {value["value"]: (value["label"], value["count"]) for value in answer["facets"]["kind"]}


def _reindex(app):
    assert app.test_cli_runner().invoke(args=["search", "reindex"]).exit_code == 0


def test_a_public_challenge_is_found_and_counted_as_a_kind(client, make, publish):
    publish(title="Zanzibar collection reminders", body="Text messages the day before.")
    asker = make.user(agency=make.agency("beta-city", name="Beta City Council"))
    slug = _ask(client, make, asker)
    found = search(client, q="zanzibar")
    assert found["total"] == 2 and slug in slugs(found)
    assert _kinds(found)["challenge"] == ("Challenge", 1) and _kinds(found)["case_study"][1] == 1
    result = next(r for r in found["results"] if r["slug"] == slug)
    assert result["kind"] == "challenge" and result["url"] == f"/challenges/{slug}"
    assert result["agency"] == {"slug": "beta-city", "name": "Beta City Council", "country": "GB", "level": "national"}
    only = search(client, q="zanzibar", kind="challenge")
    assert slugs(only) == [slug] and only["total"] == 1
    practices = search(client, q="zanzibar", kind="case_study")
    assert slug not in slugs(practices) and practices["total"] == 1
    page = client.get("/search", query_string={"q": "zanzibar"}).get_data(as_text=True)
    assert f'href="/challenges/{slug}"' in page and "kind=challenge" in page
    assert "Challenge" in page
    filtered = client.get("/search", query_string={"q": "zanzibar", "kind": "challenge"}).get_data(as_text=True)
    assert f'href="/challenges/{slug}"' in filtered and "Zanzibar collection reminders" not in filtered


def test_a_draft_challenge_is_in_no_result_total_facet_or_suggestion(app, client, make, publish):
    publish(title="Harbour ferries", body="Boats.")
    asker = make.user(agency=make.agency("beta-city"))
    _ask(client, make, asker, title="Quokka census", problem="Counting quokkas in the park.", status="draft")
    _reindex(app)
    _ask(client, make, asker, title="Another quokka count", problem="Quokkas again.", status="draft")
    assert search(client, q="quokka")["total"] == 0
    assert "challenge" not in _kinds(search(client, q=""))
    assert search(client, q="", kind="challenge")["total"] == 0
    misspelt = search(client, q="quokkaz")
    assert misspelt["suggestion"] is None and misspelt["corrected"] is None
    page = client.get("/search", query_string={"q": "quokka"}).get_data(as_text=True)
    assert "Quokka census" not in page


def test_a_word_of_a_public_challenge_is_suggested(client, make):
    asker = make.user(agency=make.agency("beta-city"))
    _ask(client, make, asker, title="Quokka census", problem="Counting quokkas in the park.")
    assert search(client, q="quokkaz")["corrected"] == "quokka"


def test_publishing_editing_and_closing_a_challenge_update_the_index(client, make):
    asker = make.user(agency=make.agency("beta-city"))
    slug = _ask(client, make, asker, title="Ferry timetables", problem="Nobody reads them.", status="draft")
    assert search(client, q="ferry")["total"] == 0
    slug = _patch(client, make, asker, slug, status="open")["slug"]
    assert slugs(search(client, q="ferry")) == [slug]
    _patch(client, make, asker, slug, title="Tram timetables")
    assert search(client, q="ferry")["total"] == 0 and slugs(search(client, q="tram")) == [slug]
    assert search(client, q="zeppelins")["total"] == 0
    _patch(client, make, asker, slug, status="closed", outcome="In the end we bought zeppelins.")
    assert slugs(search(client, q="zeppelins", kind="challenge")) == [slug]


def test_a_deleted_challenge_leaves_the_index(app, client, make):
    asker = make.user(agency=make.agency("beta-city"))
    slug = _ask(client, make, asker, title="Ferry timetables", problem="Nobody reads them.")
    assert search(client, q="ferry")["total"] == 1
    with app.app_context():
        db.session.delete(db.session.scalar(sa.select(Challenge).where(Challenge.slug == slug)))
        db.session.commit()
    found = search(client, q="ferry")
    assert found["total"] == 0 and "challenge" not in _kinds(found)


def test_reindex_and_check_include_challenges(app, client, make, publish):
    publish(title="Ferry practice", body="Boats.")
    asker = make.user(agency=make.agency("beta-city"))
    slug = _ask(client, make, asker, title="Ferry timetables", problem="Nobody reads them.")
    _ask(client, make, asker, title="Ferry drafts", problem="Secret ferries.", status="draft")
    _reindex(app)
    found = search(client, q="ferry")
    assert found["total"] == 2 and slug in slugs(found)
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output


def test_related_practices_never_list_a_challenge(app, client, make, publish):
    practice = publish(title="Ferry timetables on paper", body="Paper timetables at every pier.")
    other = publish(title="Ferry timetables online", body="Timetables online for every pier.")
    asker = make.user(agency=make.agency("beta-city"))
    _ask(client, make, asker, title="Ferry timetables at piers", problem="Paper timetables at every pier.")
    related = client.get(f"/api/v1/articles/{practice.slug}/related").get_json()["items"]
    assert [item["slug"] for item in related] == [other.slug]


def test_the_api_document_names_the_challenge_kind(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in document["paths"]["/search"]["get"]["parameters"]}
    assert "challenge" in parameters["kind"]["schema"]["enum"]
    assert "challenge" in document["components"]["schemas"]["SearchResult"]["properties"]["kind"]["enum"]


def test_renaming_its_agency_re_indexes_a_challenge(app, client, make):
    from exchange.accounts.models import Agency

    asker = make.user(agency=make.agency("beta-city", name="Beta City Council"))
    slug = _ask(client, make, asker, title="Ferry timetables", problem="Nobody reads them.")
    with app.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.slug == "beta-city"))
        agency.name = "Beta Metropolitan Council"
        db.session.commit()
    found = search(client, q="metropolitan")
    assert slugs(found) == [slug] and found["results"][0]["agency"]["name"] == "Beta Metropolitan Council"
