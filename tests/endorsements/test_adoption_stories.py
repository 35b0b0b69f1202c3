"""Adoption stories: when, how it is going and the outcome; told with the adoption, updated later, listed
newest first on the practice's page and in the API (issue #17)."""
from datetime import date, timedelta

from tests.conftest import bearer


def _put(client, token, slug, **body):
    return client.put(f"/api/v1/articles/{slug}/endorsement", json=body, headers=bearer(token))


def test_an_adoption_keeps_its_story_and_can_be_updated(client, make):
    article = make.article()
    token = make.token(make.user())
    first = _put(client, token, article.slug, kind="adopt", adopted_on="2026-01-15", status="piloting")
    assert first.status_code == 200
    assert first.json["yours"] | {} == {"kind": "adopt", "note": "", "weight": 3, "adopted_on": "2026-01-15",
                                        "status": "piloting", "outcome": ""}
    later = _put(client, token, article.slug, kind="adopt", adopted_on="2026-01-15", status="in_use",
                 outcome="Complaints fell by a third.")
    assert later.json["yours"]["status"] == "in_use" and later.json["yours"]["outcome"] == "Complaints fell by a third."
    adoptions = client.get(f"/api/v1/articles/{article.slug}/adoptions").json
    assert adoptions["total"] == 1
    assert adoptions["items"][0]["status"] == "in_use" and adoptions["items"][0]["adopted_on"] == "2026-01-15"


def test_bad_stories_are_refused_and_change_nothing(client, make):
    article = make.article()
    token = make.token(make.user())
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    for body, field in [({"adopted_on": tomorrow}, "adopted_on"), ({"adopted_on": "31/01/2026"}, "adopted_on"),
                        ({"status": "abandoned"}, "status"), ({"outcome": 5}, "outcome"),
                        ({"outcome": "x" * 281}, "outcome")]:
        response = _put(client, token, article.slug, kind="adopt", **body)
        assert response.status_code == 422, body
        assert field in response.json["error"]["fields"], body
    response = _put(client, token, article.slug, kind="endorse", status="in_use")
    assert response.status_code == 422 and "status" in response.json["error"]["fields"]
    assert client.get(f"/api/v1/articles/{article.slug}/adoptions").json["total"] == 0
    assert client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]["count"] == 0


def test_the_page_lists_adoptions_with_their_stories_newest_first(client, make):
    article = make.article()
    old = make.agency(name="Oldtown Council")
    new = make.agency(name="Newport Board")
    _put(client, make.token(make.user(agency=old)), article.slug, kind="adopt", adopted_on="2025-03-01",
         status="stopped", outcome="Stopped when the grant ended.")
    _put(client, make.token(make.user(agency=new)), article.slug, kind="adopt", adopted_on="2026-02-01",
         status="in_use", outcome="Used in every branch.")
    page = client.get(f"/articles/{article.slug}").data.decode()
    stories = page[page.index('class="adoption-stories"'):]
    assert stories.index("Newport Board") < stories.index("Oldtown Council")
    assert "Used in every branch." in stories and "Stopped when the grant ended." in stories
    assert ">In use<" in stories and ">Stopped<" in stories and "1 February 2026" in stories
    items = client.get(f"/api/v1/articles/{article.slug}/adoptions").json["items"]
    assert [item["agency"]["name"] for item in items] == ["Newport Board", "Oldtown Council"]


def test_the_form_chooses_nothing_for_you_and_says_what_each_choice_means(client, make, auth):
    article = make.article()
    auth.login(make.user())
    page = client.get(f"/articles/{article.slug}").data.decode()
    form = page[page.index('class="endorse-form"'):page.index("</form>", page.index('class="endorse-form"'))]
    assert "checked" not in form
    assert "I have seen this work and recommend it" in form
    assert "My agency now uses this practice" in form and "both agencies" in form
    assert ">Record my endorsement or adoption<" in form and ">Save<" not in form
    for name in ("adopted_on", "status", "outcome"):
        assert f'name="{name}"' in form


def test_adopting_from_the_form_records_the_story_and_withdrawing_is_one_click(client, make, auth):
    article = make.article()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/endorsement", data={
        "kind": "adopt", "note": "", "adopted_on": "2026-02-01", "status": "piloting", "outcome": "Early days."})
    assert response.status_code == 302
    story = client.get(f"/api/v1/articles/{article.slug}/adoptions").json["items"][0]
    assert (story["adopted_on"], story["status"], story["outcome"]) == ("2026-02-01", "piloting", "Early days.")
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert ">Update my adoption<" in page and ">Withdraw my adoption<" in page
    assert client.post(f"/articles/{article.slug}/endorsement/delete").status_code == 302
    assert client.get(f"/api/v1/articles/{article.slug}/adoptions").json["total"] == 0


def test_a_refused_form_keeps_what_was_typed(client, make, auth):
    article = make.article()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/endorsement", data={
        "kind": "adopt", "adopted_on": "2999-01-01", "status": "in_use", "outcome": "Kept text."})
    page = response.data.decode()
    assert response.status_code == 422
    assert "error-summary" in page and "cannot be in the future" in page
    assert 'value="2999-01-01"' in page and "Kept text." in page
    assert client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]["count"] == 0


def test_an_endorsement_from_the_form_ignores_story_fields_left_typed(client, make, auth):
    article = make.article()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/endorsement", data={
        "kind": "endorse", "adopted_on": "2026-02-01", "status": "in_use", "outcome": "x"})
    assert response.status_code == 302
    assert client.get(f"/api/v1/articles/{article.slug}/adoptions").json["total"] == 0
    assert client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]["count"] == 1


def test_no_kind_chosen_is_an_error_naming_the_field(client, make, auth):
    article = make.article()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/endorsement", data={"note": "Hmm."})
    assert response.status_code == 422
    assert 'href="#kind' in response.data.decode()


def test_a_new_adoption_is_not_shown_as_updated_until_it_changes(client, make):
    article = make.article()
    token = make.token(make.user())
    _put(client, token, article.slug, kind="adopt", outcome="First words.")
    stories = client.get(f"/articles/{article.slug}").data.decode()
    assert "Updated" not in stories[stories.index('class="adoption-stories"'):stories.index("</ol>", stories.index(
        'class="adoption-stories"'))]
    item = client.get(f"/api/v1/articles/{article.slug}/adoptions").json["items"][0]
    assert item["updated_at"] == item["created_at"]


def test_an_adoption_is_recorded_on_the_adopting_agencys_page_too(client, make):
    article = make.article(title="Borrowed practice")
    author = make.user()
    later_draft = make.article(author, title="Back to draft later")
    adopter = make.agency(name="Adopting Council")
    token = make.token(make.user(agency=adopter))
    _put(client, token, article.slug, kind="adopt", status="in_use", outcome="Works for us.")
    _put(client, token, later_draft.slug, kind="adopt")
    page = client.get(f"/agencies/{adopter.slug}").data.decode()
    assert "Practices Adopting Council adopted" in page
    assert "Borrowed practice" in page and "Works for us." in page and ">In use<" in page
    assert "Back to draft later" in page
    author_token = make.token(author)
    assert client.patch(f"/api/v1/articles/{later_draft.slug}", json={"base_revision": 1, "status": "draft"},
                        headers=bearer(author_token)).status_code == 200
    assert "Back to draft later" not in client.get(f"/agencies/{adopter.slug}").data.decode()
