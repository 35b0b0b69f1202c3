"""Challenges (issue #18): the adoption story in the "this helped us" step, "Helped ... with" on the
answerer's dashboard and agency impact page, and the helped form's error summary reaching its field."""
import pytest

from tests.conftest import bearer

PROBLEM = "Residents wait weeks for a reply about missed bin collections. We tried a web form."


@pytest.fixture
def people(make):
    beta = make.agency("beta-city", name="Beta City Council")
    alpha = make.agency("alpha-county", name="Alpha County")
    gamma = make.agency("gamma-town", name="Gamma Town")
    return {"asker": make.user(agency=beta, name="Bea Asker"), "answerer": make.user(agency=alpha, name="Al Answerer"),
            "colleague": make.user(agency=alpha, name="Ada Colleague"), "third": make.user(agency=gamma)}


def _token(make, person):
    return bearer(make.token(person))


def _answered(client, make, people, title="Replying to residents about bins"):
    """An open challenge by Beta City Council, answered by Al Answerer with a practice: (slug, answer id, practice)."""
    asked = client.post("/api/v1/challenges", json={"title": title, "problem": PROBLEM, "status": "open"},
                        headers=_token(make, people["asker"]))
    assert asked.status_code == 201, asked.json
    slug = asked.json["slug"]
    practice = make.article(people["answerer"], title="Answering in an hour")
    answered = client.post(f"/api/v1/challenges/{slug}/answers", json={"practice": practice.slug, "note": "It fits."},
                           headers=_token(make, people["answerer"]))
    assert answered.status_code == 201, answered.json
    return slug, answered.json["id"], practice


def _helped(client, make, person, slug, answer_id, **body):
    return client.put(f"/api/v1/challenges/{slug}/answers/{answer_id}/helped", json=body, headers=_token(make, person))


def _adoption(client, practice):
    items = client.get(f"/api/v1/articles/{practice.slug}/adoptions").json["items"]
    return items[0] if items else None


# 5. The adoption story in the same step ---------------------------------------------------------------

def test_helped_with_an_adoption_records_its_story(client, make, people):
    slug, answer_id, practice = _answered(client, make, people)
    response = _helped(client, make, people["asker"], slug, answer_id, why="We copied the promise.", adopt=True,
                       adopted_on="2026-01-15", status="piloting", outcome="Replies within a day.")
    assert response.status_code == 200, response.json
    adoption = _adoption(client, practice)
    assert adoption["adopted_on"] == "2026-01-15" and adoption["status"] == "piloting"
    assert adoption["outcome"] == "Replies within a day."


@pytest.mark.parametrize("story, field", [
    ({"adopted_on": "2999-01-01"}, "adopted_on"),
    ({"adopted_on": "not a date"}, "adopted_on"),
    ({"status": "finished"}, "status"),
])
def test_a_bad_adoption_story_is_refused_and_changes_nothing(client, make, people, story, field):
    slug, answer_id, practice = _answered(client, make, people)
    response = _helped(client, make, people["asker"], slug, answer_id, why="We copied it.", adopt=True, **story)
    assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert _adoption(client, practice) is None
    challenge = client.get(f"/api/v1/challenges/{slug}").json
    assert challenge["status"] == "open" and challenge["answers"][0]["helped"] is False


def test_a_story_without_an_adoption_is_refused(client, make, people):
    slug, answer_id, practice = _answered(client, make, people)
    response = _helped(client, make, people["asker"], slug, answer_id, why="Useful.", status="in_use")
    assert response.status_code == 422
    assert client.get(f"/api/v1/challenges/{slug}").json["answers"][0]["helped"] is False


def test_the_page_records_the_adoption_story_and_keeps_it_typed_when_refused(client, make, people, auth):
    slug, answer_id, practice = _answered(client, make, people)
    auth.login(people["asker"])
    url = f"/challenges/{slug}/answers/{answer_id}/helped"
    refused = client.post(url, data={"why": "We did it.", "adopt": "y", "adopted_on": "2999-01-01",
                                     "outcome": "Kept typed."})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f'href="#adopted_on-{answer_id}"' in page and f'id="adopted_on-{answer_id}"' in page
    assert "Kept typed." in page and _adoption(client, practice) is None
    done = client.post(url, data={"why": "We did it.", "adopt": "y", "adopted_on": "2026-02-01", "status": "in_use",
                                  "outcome": "Replies in a day."})
    assert done.status_code == 302
    adoption = _adoption(client, practice)
    assert (adoption["adopted_on"], adoption["status"], adoption["outcome"]) == \
        ("2026-02-01", "in_use", "Replies in a day.")


# 6. The error summary links to the field -------------------------------------------------------------

def test_the_helped_error_summary_links_to_the_why_field(client, make, people, auth):
    slug, answer_id, _ = _answered(client, make, people)
    auth.login(people["asker"])
    refused = client.post(f"/challenges/{slug}/answers/{answer_id}/helped", data={"why": ""})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f'href="#why-{answer_id}"' in page and f'id="why-{answer_id}"' in page
    assert f'for="why-{answer_id}"' in page and f'for="adopted_on-{answer_id}"' in page  # labels name their fields
    assert 'href="#why"' not in page


# 4. "Helped ... with" on the dashboard and the impact page -------------------------------------------

def test_the_answerer_and_their_agency_see_what_they_helped_with(client, make, people, auth):
    slug, answer_id, practice = _answered(client, make, people)
    assert "Helped Beta City Council" not in client.get("/agencies/alpha-county/impact").get_data(as_text=True)
    assert _helped(client, make, people["asker"], slug, answer_id, why="We copied the promise.").status_code == 200
    auth.login(people["answerer"])
    me = client.get("/me").get_data(as_text=True)
    assert "Helped <strong>Beta City Council</strong> with:" in me and f'href="/challenges/{slug}#answer-' in me
    auth.logout()
    impact = client.get("/agencies/alpha-county/impact").get_data(as_text=True)
    assert "Helped <strong>Beta City Council</strong> with:" in impact and "Replying to residents about bins" in impact
    api = client.get("/api/v1/agencies/alpha-county/impact").json["helped"]
    assert api[0]["agency"]["name"] == "Beta City Council" and api[0]["challenge"]["slug"] == slug
    assert api[0]["practice"]["slug"] == practice.slug and api[0]["why"] == "We copied the promise."
    board = client.get("/api/v1/me/dashboard", headers=_token(make, people["answerer"])).json["helped"]
    assert [h["challenge"]["slug"] for h in board] == [slug]
    # a colleague in the agency did not answer: not on their dashboard, but on the agency's page
    assert client.get("/api/v1/me/dashboard", headers=_token(make, people["colleague"])).json["helped"] == []
    assert client.get("/api/v1/agencies/gamma-town/impact").json["helped"] == []


def test_taking_back_helped_takes_it_off_the_dashboard(client, make, people):
    slug, answer_id, _ = _answered(client, make, people)
    _helped(client, make, people["asker"], slug, answer_id, why="Useful.")
    assert client.delete(f"/api/v1/challenges/{slug}/answers/{answer_id}/helped",
                         headers=_token(make, people["asker"])).status_code == 204
    assert client.get("/api/v1/me/dashboard", headers=_token(make, people["answerer"])).json["helped"] == []
    assert client.get("/api/v1/agencies/alpha-county/impact").json["helped"] == []
