"""What Schemathesis found (.ci/fuzz.py): each answer here matches what the OpenAPI document promises."""
import pytest

from tests.conftest import bearer

ARTICLE = {"title": "Answering residents online", "kind": "case_study", "summary": "What we learnt."}


@pytest.mark.parametrize("method", ["PATCH", "DELETE", "GET"])
@pytest.mark.parametrize("comment_id", ["0", "00", "01", "2147483648", "9999999999"])
def test_an_id_no_comment_can_have_is_404_for_every_method_not_405(client, make, method, comment_id):
    token = make.token(make.user())
    response = client.open(f"/api/v1/comments/{comment_id}", method=method, json={"body": "More."},
                           headers=bearer(token))
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_the_largest_id_still_reaches_the_endpoint(client, make):
    token = make.token(make.user())
    response = client.patch("/api/v1/comments/2147483647", json={"body": "More."}, headers=bearer(token))
    assert response.status_code == 404
    assert "comment" in response.json["error"]["message"].lower()


def test_an_evidence_level_sent_as_a_whole_json_number_with_a_point_is_that_level(client, make):
    # JSON has one number type: 2.0 is the whole number 2 (and the document's "integer" says so too).
    token = make.token(make.user())
    response = client.post("/api/v1/articles", json={**ARTICLE, "evidence_level": 2.0}, headers=bearer(token))
    assert response.status_code == 201
    assert response.json["evidence_level"] == 2


def test_an_evidence_level_with_a_fraction_is_still_refused(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", json={**ARTICLE, "evidence_level": 2.5}, headers=bearer(token))
    assert response.status_code == 422
    assert "evidence_level" in response.json["error"]["fields"]


@pytest.mark.parametrize("kind", [{}, [], ["adopt"], {"kind": "adopt"}, 1, None, True])
def test_an_endorsement_kind_that_is_not_a_word_is_422_not_500(client, make, kind):
    article = make.article(status="published")
    token = make.token(make.user())
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind},
                          headers=bearer(token))
    assert response.status_code == 422
    assert "kind" in response.json["error"]["fields"]
    assert client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]["count"] == 0


def test_a_list_of_more_than_eight_tags_is_refused_even_when_some_are_empty(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", json={**ARTICLE, "tags": [""] * 9}, headers=bearer(token))
    assert response.status_code == 422
    assert "tags" in response.json["error"]["fields"]
    assert client.get("/api/v1/articles?per_page=100").json["total"] == 0


def test_a_base_revision_sent_as_a_whole_json_number_with_a_point_is_that_revision(client, make):
    author = make.user()
    article = make.article(author=author)
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(make.token(author)),
                            json={"base_revision": float(article.revision), "summary": "Shorter."})
    assert response.status_code == 200
    assert response.json["summary"] == "Shorter."


@pytest.mark.parametrize("status", [{}, [], 0, False])
def test_a_status_that_is_not_text_is_refused_not_taken_for_a_draft(client, make, status):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", json={**ARTICLE, "status": status}, headers=bearer(token))
    assert response.status_code == 422
    assert "status" in response.json["error"]["fields"]


def test_an_edit_on_top_of_the_largest_revision_number_is_a_conflict_not_a_500(client, make):
    # On PostgreSQL the next number (one past INTEGER) was bound into the UPDATE even for no row.
    author = make.user()
    article = make.article(author=author)
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(make.token(author)),
                            json={"base_revision": 2**31 - 1, "summary": "Shorter."})
    assert response.status_code == 409
    assert response.json["error"]["current_revision"] == article.revision


def test_an_evidence_level_of_false_is_refused_not_taken_for_none(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", json={**ARTICLE, "evidence_level": False}, headers=bearer(token))
    assert response.status_code == 422
    assert "evidence_level" in response.json["error"]["fields"]


@pytest.mark.parametrize("note", [{}, [], 0, False])
def test_a_change_note_that_is_not_text_is_refused(client, make, note):
    author = make.user()
    token = make.token(author)
    response = client.post("/api/v1/articles", json={**ARTICLE, "change_note": note}, headers=bearer(token))
    assert response.status_code == 422
    assert "change_note" in response.json["error"]["fields"]
    article = make.article(author=author)
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(token),
                            json={"base_revision": article.revision, "summary": "Shorter.", "change_note": note})
    assert response.status_code == 422
    assert "change_note" in response.json["error"]["fields"]
