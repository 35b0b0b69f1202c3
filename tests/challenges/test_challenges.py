"""Challenges through the API and the pages: asking, answering with practices, "this helped us", "same problem"."""
from datetime import date, timedelta

import pytest

from tests.conftest import bearer

PROBLEM = """## Who is affected

Residents who wait weeks for a reply about missed bin collections.

## What we tried

A web form. Nobody read it.

## What a good answer looks like

A practice that cut reply times, with numbers.
"""


@pytest.fixture
def people(make):
    """The asking agency (Beta City Council: an asker and a colleague), an answering agency, a third agency."""
    beta = make.agency("beta-city", name="Beta City Council")
    alpha = make.agency("alpha-county", name="Alpha County")
    gamma = make.agency("gamma-town", name="Gamma Town")
    asker = make.user(agency=beta, name="Bea Asker")
    return {
        "asker": asker, "colleague": make.user(agency=beta, name="Cal Colleague"),
        "answerer": make.user(agency=alpha, name="Al Answerer"), "third": make.user(agency=gamma, name="Gil Third"),
        "third_colleague": make.user(agency=gamma, name="Gia Third"),
    }


def _token(make, person):
    return bearer(make.token(person))


def _ask(client, make, person, **fields):
    body = {"title": "Replying to residents about bins", "problem": PROBLEM, "tags": ["waste", "digital services"],
            "status": "open", **fields}
    return client.post("/api/v1/challenges", json=body, headers=_token(make, person))


def _challenge(client, make, people, **fields) -> str:
    response = _ask(client, make, people["asker"], **fields)
    assert response.status_code == 201, response.json
    return response.json["slug"]


def _answer(client, make, person, slug, **body):
    return client.post(f"/api/v1/challenges/{slug}/answers", json=body, headers=_token(make, person))


# 1. A challenge ---------------------------------------------------------------------------------

def test_a_verified_member_asks_a_challenge_for_their_agency(client, make, people):
    response = _ask(client, make, people["asker"], deadline=(date.today() + timedelta(days=30)).isoformat())
    assert response.status_code == 201
    data = response.json
    assert data["status"] == "open" and data["agency"]["slug"] == "beta-city"
    assert data["tags"] == ["digital services", "waste"] and "<h2" in data["html"]
    assert client.get("/api/v1/challenges").json["total"] == 1
    page = client.get("/challenges").data.decode()
    assert "Replying to residents about bins" in page


def test_an_unverified_member_may_only_draft(client, make, people):
    newcomer = make.user(agency=people["asker"].agency, verified=False)
    assert _ask(client, make, newcomer).status_code == 403
    assert _ask(client, make, newcomer, status="draft").status_code == 201


def test_an_empty_problem_is_refused_and_nothing_is_made(client, make, people):
    response = _ask(client, make, people["asker"], problem="   \n  ")
    assert response.status_code == 422 and "problem" in response.json["error"]["fields"]
    assert client.get("/api/v1/challenges").json["total"] == 0


def test_a_status_that_is_not_text_is_refused(client, make, people):
    response = _ask(client, make, people["asker"], status={})
    assert response.status_code == 422 and "status" in response.json["error"]["fields"]


def test_a_deadline_in_the_past_is_refused(client, make, people):
    response = _ask(client, make, people["asker"], deadline=(date.today() - timedelta(days=1)).isoformat())
    assert response.status_code == 422 and response.json["error"]["fields"] == {"deadline": "in the past"}
    assert client.get("/api/v1/challenges").json["total"] == 0


def test_a_draft_is_the_agencys_own(client, make, people):
    slug = _ask(client, make, people["asker"], status="draft").json["slug"]
    assert client.get(f"/api/v1/challenges/{slug}").status_code == 404
    assert client.get(f"/challenges/{slug}").status_code == 404
    assert client.get(f"/api/v1/challenges/{slug}", headers=_token(make, people["answerer"])).status_code == 404
    assert client.get(f"/api/v1/challenges/{slug}", headers=_token(make, people["colleague"])).status_code == 200
    assert client.get("/api/v1/challenges").json["total"] == 0
    assert "Replying to residents" not in client.get("/challenges").data.decode()
    assert "Replying to residents" not in client.get("/tags/waste").data.decode()
    assert "Replying to residents" not in client.get("/agencies/beta-city").data.decode()


def test_publishing_a_draft_opens_it(client, make, people):
    slug = _ask(client, make, people["asker"], status="draft").json["slug"]
    response = client.patch(f"/api/v1/challenges/{slug}", json={"status": "open"},
                            headers=_token(make, people["colleague"]))
    assert response.status_code == 200 and response.json["status"] == "open"
    assert client.get(f"/api/v1/challenges/{response.json['slug']}").status_code == 200


def test_the_asking_agency_edits_its_open_challenge(client, make, people):
    slug = _challenge(client, make, people)
    edited = client.patch(f"/api/v1/challenges/{slug}", json={"title": "Replying about bins within a day"},
                          headers=_token(make, people["colleague"]))
    assert edited.status_code == 200
    assert client.get(f"/api/v1/challenges/{slug}").json["title"] == "Replying about bins within a day"


def test_only_the_asking_agency_edits(client, make, people):
    slug = _challenge(client, make, people)
    refused = client.patch(f"/api/v1/challenges/{slug}", json={"title": "Taken over"},
                           headers=_token(make, people["answerer"]))
    assert refused.status_code == 403
    assert client.get(f"/api/v1/challenges/{slug}").json["title"] == "Replying to residents about bins"


def test_hostile_markdown_stays_inert(client, make, people):
    slug = _challenge(client, make, people, problem='<script>alert(1)</script> [x](javascript:alert(1)) '
                                                    '<img src=x onerror=alert(1)>')
    page = client.get(f"/challenges/{slug}").data.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "&lt;img src=x onerror" in page
    assert 'href="javascript:' not in page


def test_listed_on_topic_and_agency_pages(client, make, people):
    make.article(people["answerer"], tags=["waste"])  # a topic has a page once something published uses it
    _challenge(client, make, people)
    assert "Replying to residents about bins" in client.get("/tags/waste").data.decode()
    assert "Replying to residents about bins" in client.get("/agencies/beta-city").data.decode()


# 2. Answers are practices ----------------------------------------------------------------------

def test_another_agency_answers_with_a_published_practice(client, make, people):
    slug = _challenge(client, make, people)
    practice = make.article(people["answerer"], title="Answering in an hour")
    response = _answer(client, make, people["answerer"], slug, practice=practice.slug,
                       note="We cut replies to an hour with a public promise.")
    assert response.status_code == 201
    answers = client.get(f"/api/v1/challenges/{slug}").json["answers"]
    assert [a["practice"]["slug"] for a in answers] == [practice.slug]
    assert "We cut replies to an hour" in client.get(f"/challenges/{slug}").data.decode()


def test_one_answer_per_practice_per_challenge(client, make, people):
    slug = _challenge(client, make, people)
    practice = make.article(people["answerer"])
    assert _answer(client, make, people["answerer"], slug, practice=practice.slug).status_code == 201
    again = _answer(client, make, people["third"], slug, practice=practice.slug)
    assert again.status_code == 409
    assert len(client.get(f"/api/v1/challenges/{slug}").json["answers"]) == 1


def test_answering_with_a_draft_or_archived_practice_is_refused(client, make, people, app):
    from exchange.accounts.services import get_user
    from exchange.articles.services import archive, get_article

    slug = _challenge(client, make, people)
    draft = make.article(people["answerer"], status="draft")
    archived = make.article(people["answerer"])
    with app.app_context():
        archive(get_user(people["answerer"].id), get_article(None, archived.slug), "Out of date.")
    for practice in (draft, archived):
        response = _answer(client, make, people["answerer"], slug, practice=practice.slug)
        assert response.status_code == 422 and "practice" in response.json["error"]["fields"]
    assert client.get(f"/api/v1/challenges/{slug}", headers=_token(make, people["answerer"])).json["answers"] == []


def test_a_new_draft_answer_shows_only_to_its_agency_until_published(client, make, people, app):
    slug = _challenge(client, make, people)
    response = _answer(client, make, people["answerer"], slug, draft_title="How Alpha answers bins")
    assert response.status_code == 201 and response.json["practice"]["status"] == "draft"
    assert client.get(f"/api/v1/challenges/{slug}").json["answers"] == []
    assert client.get(f"/api/v1/challenges/{slug}", headers=_token(make, people["asker"])).json["answers"] == []
    mine = client.get(f"/api/v1/challenges/{slug}", headers=_token(make, people["answerer"])).json["answers"]
    assert [a["practice"]["title"] for a in mine] == ["How Alpha answers bins"]
    assert "How Alpha answers bins" not in client.get(f"/challenges/{slug}").data.decode()


def test_a_closed_challenge_takes_no_answers(client, make, people):
    slug = _challenge(client, make, people)
    close = client.patch(f"/api/v1/challenges/{slug}", json={"status": "closed", "outcome": "We built our own."},
                         headers=_token(make, people["asker"]))
    assert close.status_code == 200 and close.json["status"] == "closed"
    practice = make.article(people["answerer"])
    assert _answer(client, make, people["answerer"], slug, practice=practice.slug).status_code == 409


# 3. Recognition ---------------------------------------------------------------------------------

def _helped(client, make, person, slug, answer_id, **body):
    return client.put(f"/api/v1/challenges/{slug}/answers/{answer_id}/helped", json=body, headers=_token(make, person))


def test_a_helpful_answer_alone_weighs_one_endorsement_and_says_so_on_the_card(client, make, people):
    slug = _challenge(client, make, people)
    practice = make.article(people["answerer"], title="Answering in an hour")
    answer_id = _answer(client, make, people["answerer"], slug, practice=practice.slug).json["id"]
    before = client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]
    assert _helped(client, make, people["asker"], slug, answer_id, why="We copied the promise.").status_code == 200
    after = client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]
    assert after["score"] == pytest.approx(before["score"] + 1)
    assert "1 helpful answer" in client.get(f"/articles/{practice.slug}").data.decode()
    assert client.delete(f"/api/v1/challenges/{slug}/answers/{answer_id}/helped",
                         headers=_token(make, people["asker"])).status_code in (200, 204)
    assert client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]["score"] == \
        pytest.approx(before["score"])


def test_the_asker_marks_an_answer_helpful_and_records_an_adoption(client, make, people):
    slug = _challenge(client, make, people)
    practice = make.article(people["answerer"], title="Answering in an hour")
    answer_id = _answer(client, make, people["answerer"], slug, practice=practice.slug).json["id"]
    before = client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]
    response = _helped(client, make, people["asker"], slug, answer_id, why="We copied the promise.", adopt=True)
    assert response.status_code == 200 and response.json["helped"] is True
    assert client.get(f"/api/v1/challenges/{slug}").json["status"] == "answered"
    after = client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]
    assert after["adoptions"] == before["adoptions"] + 1
    # the adoption (3) and the helpful answer, counted as the asking agency's endorsement under the same
    # rules (ranking.add_support): its second support for the practice, so 1/2
    assert after["score"] == pytest.approx(before["score"] + 3 + 1 / 2)
    page = client.get(f"/articles/{practice.slug}").data.decode()
    assert "Helped Beta City Council with:" in page and "Replying to residents about bins" in page


def test_helpful_without_adoption_counts_as_one_endorsement(client, make, people):
    slug = _challenge(client, make, people)
    practice = make.article(people["answerer"])
    answer_id = _answer(client, make, people["answerer"], slug, practice=practice.slug).json["id"]
    assert _helped(client, make, people["asker"], slug, answer_id, why="Useful.").status_code == 200
    data = client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]
    assert data["score"] == pytest.approx(1) and data["adoptions"] == 0
    assert client.delete(f"/api/v1/challenges/{slug}/answers/{answer_id}/helped",
                         headers=_token(make, people["asker"])).status_code == 204
    assert client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]["score"] == pytest.approx(0)
    assert client.get(f"/api/v1/challenges/{slug}").json["status"] == "open"


def test_marking_helpful_on_someone_elses_challenge_is_refused(client, make, people):
    slug = _challenge(client, make, people)
    practice = make.article(people["answerer"])
    answer_id = _answer(client, make, people["answerer"], slug, practice=practice.slug).json["id"]
    response = _helped(client, make, people["third"], slug, answer_id, why="Not ours to say.", adopt=True)
    assert response.status_code == 403
    assert client.get(f"/api/v1/challenges/{slug}").json["answers"][0]["helped"] is False
    assert client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]["score"] == 0


def test_helpful_needs_a_sentence_of_why(client, make, people):
    slug = _challenge(client, make, people)
    practice = make.article(people["answerer"])
    answer_id = _answer(client, make, people["answerer"], slug, practice=practice.slug).json["id"]
    response = _helped(client, make, people["asker"], slug, answer_id, why="  ", adopt=True)
    assert response.status_code == 422 and "why" in response.json["error"]["fields"]
    assert client.get(f"/api/v1/articles/{practice.slug}").json["endorsements"]["adoptions"] == 0


# 4. Same problem --------------------------------------------------------------------------------

def _same(client, make, person, slug, method="put"):
    return getattr(client, method)(f"/api/v1/challenges/{slug}/same-problem", headers=_token(make, person))


def test_same_problem_counts_once_per_agency(client, make, people):
    slug = _challenge(client, make, people)
    assert _same(client, make, people["third"], slug).json == {"same_problem": 1}
    twice = _same(client, make, people["third_colleague"], slug)
    assert twice.status_code == 409
    assert _same(client, make, people["third"], slug).status_code == 409
    assert _same(client, make, people["answerer"], slug).json == {"same_problem": 2}
    assert client.get(f"/api/v1/challenges/{slug}").json["same_problem"] == 2
    assert "2 agencies have this problem too" in client.get(f"/challenges/{slug}").data.decode()


def test_the_asking_agency_sees_who_to_work_with(client, make, people, auth):
    slug = _challenge(client, make, people)
    _same(client, make, people["third"], slug)
    auth.login(people["asker"])
    page = client.get(f"/challenges/{slug}").data.decode()
    assert "Work with:" in page and "Gamma Town" in page


def test_same_problem_orders_the_open_challenges(client, make, people):
    first = _challenge(client, make, people, title="A quiet problem")
    second = _challenge(client, make, people, title="A shared problem")
    _same(client, make, people["third"], second)
    slugs = [c["slug"] for c in client.get("/api/v1/challenges").json["items"]]
    assert slugs == [second, first]


def test_the_asking_agency_cannot_vote_on_its_own_challenge(client, make, people):
    slug = _challenge(client, make, people)
    assert _same(client, make, people["colleague"], slug).status_code == 403
    assert client.get(f"/api/v1/challenges/{slug}").json["same_problem"] == 0


# 5. Closing -------------------------------------------------------------------------------------

def test_closing_needs_a_summary(client, make, people):
    slug = _challenge(client, make, people)
    refused = client.patch(f"/api/v1/challenges/{slug}", json={"status": "closed", "outcome": ""},
                           headers=_token(make, people["asker"]))
    assert refused.status_code == 422
    assert client.get(f"/api/v1/challenges/{slug}").json["status"] == "open"


def test_answered_follow_open_in_the_list(client, make, people):
    answered = _challenge(client, make, people, title="Answered one")
    practice = make.article(people["answerer"])
    answer_id = _answer(client, make, people["answerer"], answered, practice=practice.slug).json["id"]
    _helped(client, make, people["asker"], answered, answer_id, why="It worked.")
    still_open = _challenge(client, make, people, title="Open one")
    assert [c["slug"] for c in client.get("/api/v1/challenges").json["items"]] == [still_open, answered]


def test_past_deadline_without_answers_is_overdue(app, client, make, people):
    import sqlalchemy as sa

    from exchange.challenges.models import Challenge
    from exchange.challenges.services import overdue
    from exchange.db import db

    slug = _challenge(client, make, people, deadline=(date.today() + timedelta(days=1)).isoformat())
    with app.app_context():
        assert overdue() == []
        db.session.execute(sa.update(Challenge).values(deadline=date.today() - timedelta(days=1)))
        db.session.commit()
        assert [c.slug for c in overdue()] == [slug]


# The pages ---------------------------------------------------------------------------------------

def test_the_page_flow_ask_answer_helped(client, make, people, auth):
    practice = make.article(people["answerer"], title="Answering in an hour")
    auth.login(people["asker"])
    made = client.post("/challenges/new", data={"title": "Bins replies", "problem": PROBLEM, "tags": "waste",
                                               "deadline": "", "publish": "1"})
    assert made.status_code == 302
    slug = made.location.rsplit("/", 1)[-1]
    auth.logout()
    auth.login(people["answerer"])
    answered = client.post(f"/challenges/{slug}/answers", data={"practice": f"/articles/{practice.slug}",
                                                                "note": "It applies."})
    assert answered.status_code == 302
    auth.logout()
    auth.login(people["asker"])
    page = client.get(f"/challenges/{slug}").data.decode()
    answer_id = int(page.split('id="answer-', 1)[1].split('"', 1)[0])
    refused = client.post(f"/challenges/{slug}/answers/{answer_id}/helped", data={"why": ""})
    assert refused.status_code == 422 and "There is a problem" in refused.data.decode()
    done = client.post(f"/challenges/{slug}/answers/{answer_id}/helped", data={"why": "We did it.", "adopt": "y"})
    assert done.status_code == 302
    assert "Helped Beta City Council with:" in client.get(f"/articles/{practice.slug}").data.decode()


def test_the_new_form_keeps_what_was_typed_when_refused(client, make, people, auth):
    auth.login(people["asker"])
    response = client.post("/challenges/new", data={"title": "Bins replies", "problem": "", "publish": "1"})
    assert response.status_code == 422
    page = response.data.decode()
    assert "There is a problem" in page and 'value="Bins replies"' in page


# Feeds --------------------------------------------------------------------------------------------

def test_feeds_carry_public_challenges_and_never_drafts(client, make, people):
    _challenge(client, make, people, title="An open bins problem")
    _ask(client, make, people["asker"], title="A secret draft problem", status="draft")
    for url in ("/feeds/challenges.atom", "/feeds/challenges/tags/waste.atom"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/atom+xml"
        text = response.data.decode()
        assert "An open bins problem" in text and "A secret draft problem" not in text


def test_a_topic_only_a_draft_uses_has_no_feed(client, make, people):
    _ask(client, make, people["asker"], tags=["secret topic"], status="draft")
    assert client.get("/feeds/challenges/tags/secret-topic.atom").status_code == 404


# Notifications ------------------------------------------------------------------------------------

def _follow_topic(client, make, person, auth, tag="waste"):
    make.article(make.user(), tags=[tag])  # the topic has a page
    auth.login(person)
    assert client.post(f"/follow/tag/{tag}").status_code == 302
    auth.logout()


def test_followers_of_its_topics_hear_of_an_open_challenge_never_a_draft(client, make, people, auth):
    _follow_topic(client, make, people["third"], auth)
    _ask(client, make, people["asker"], title="A secret draft problem", status="draft")
    auth.login(people["third"])
    assert "A secret draft problem" not in client.get("/notifications").data.decode()
    auth.logout()
    _challenge(client, make, people, title="An open bins problem")
    auth.login(people["third"])
    page = client.get("/notifications").data.decode()
    assert "New challenge in what you follow: “An open bins problem” from Beta City Council." in page


def test_the_asker_hears_of_answers_and_the_answerer_of_help(client, make, people, auth):
    slug = _challenge(client, make, people)
    practice = make.article(people["answerer"], title="Answering in an hour")
    answer_id = _answer(client, make, people["answerer"], slug, practice=practice.slug).json["id"]
    _helped(client, make, people["asker"], slug, answer_id, why="It worked.")
    auth.login(people["asker"])
    assert "Al Answerer answered your agency" in client.get("/notifications").data.decode()
    auth.logout()
    auth.login(people["answerer"])
    assert "Beta City Council marked your answer" in client.get("/notifications").data.decode()
