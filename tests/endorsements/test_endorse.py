"""Endorsing and adopting from the article page and the API: who may, what is refused, what is shown."""
import html
import re

from tests.conftest import bearer
from tests.endorsements.helpers import bulk_endorsements, counting_statements


def _put(client, token, slug, **body):
    return client.put(f"/api/v1/articles/{slug}/endorsement", json=body, headers=bearer(token))


def test_authors_cannot_endorse_their_own_article(client, make, auth):
    author = make.user()
    article = make.article(author)
    assert _put(client, make.token(author), article.slug, kind="endorse").status_code == 403
    auth.login(author)
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "You wrote this practice" in page and 'action="/articles/' + article.slug + '/endorsement"' not in page
    assert client.post(f"/articles/{article.slug}/endorsement", data={"kind": "endorse"}).status_code == 403
    assert client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]["count"] == 0


def test_drafts_cannot_be_endorsed_even_by_those_who_see_them(client, make, auth):
    author = make.user()
    draft = make.article(author, status="draft")
    colleague = make.user(agency=author.agency)
    assert _put(client, make.token(colleague), draft.slug, kind="endorse").status_code == 404
    assert _put(client, make.token(make.user()), draft.slug, kind="endorse").status_code == 404
    auth.login(colleague)
    assert client.post(f"/articles/{draft.slug}/endorsement", data={"kind": "adopt"}).status_code == 404


def test_archived_articles_take_no_new_endorsements(client, make, app):
    from exchange.accounts.services import get_user
    from exchange.articles.services import archive, get_article

    author = make.user()
    article = make.article(author)
    with app.app_context():
        archive(get_user(author.id), get_article(None, article.slug))
    assert _put(client, make.token(make.user()), article.slug, kind="endorse").status_code == 409


def test_a_note_over_280_characters_is_422_in_the_api(client, make):
    article = make.article()
    response = _put(client, make.token(make.user()), article.slug, kind="endorse", note="x" * 281)
    assert response.status_code == 422 and "note" in response.json["error"]["fields"]
    assert _put(client, make.token(make.user()), article.slug, kind="endorse", note="x" * 280).status_code == 200


def test_a_note_over_280_characters_is_an_error_on_the_page_keeping_the_text(client, make, auth):
    article = make.article()
    auth.login(make.user())
    note = "We tried this in three districts. " * 9
    response = client.post(f"/articles/{article.slug}/endorsement", data={"kind": "adopt", "note": note})
    page = response.data.decode()
    assert response.status_code == 422
    assert "There is a problem" in page and 'href="#note"' in page and "at most 280" in page
    assert note.strip() in page.replace("&#39;", "'")
    assert re.search(r'<input[^>]*checked[^>]*value="adopt"|<input[^>]*value="adopt"[^>]*checked', page)
    assert client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]["count"] == 0


def test_a_wrong_kind_or_unknown_field_is_422(client, make):
    article = make.article()
    token = make.token(make.user())
    assert _put(client, token, article.slug, kind="like").json["error"]["fields"] == {"kind": "endorse or adopt"}
    assert _put(client, token, article.slug, kind="endorse", weight=100).status_code == 422
    assert client.put(f"/api/v1/articles/{article.slug}/endorsement", data="kind=endorse",
                      headers=bearer(token)).status_code == 415


def test_one_endorsement_per_person(client, make):
    article = make.article()
    token = make.token(make.user())
    for kind in ("endorse", "endorse", "adopt"):
        assert _put(client, token, article.slug, kind=kind).status_code == 200
    assert client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]["count"] == 1


def test_visitors_are_sent_to_sign_in_and_the_api_needs_a_token(client, make):
    article = make.article()
    response = client.post(f"/articles/{article.slug}/endorsement", data={"kind": "endorse"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": "endorse"}).status_code == 401
    assert client.delete(f"/api/v1/articles/{article.slug}/endorsement").status_code == 401
    assert "Sign in</a> to endorse" in client.get(f"/articles/{article.slug}").data.decode()


def test_withdraw_is_204_even_when_there_was_nothing(client, make):
    article = make.article()
    token = make.token(make.user())
    assert client.delete(f"/api/v1/articles/{article.slug}/endorsement", headers=bearer(token)).status_code == 204
    _put(client, token, article.slug, kind="adopt")
    assert client.delete(f"/api/v1/articles/{article.slug}/endorsement", headers=bearer(token)).status_code == 204
    assert client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]["count"] == 0


def test_endorse_and_withdraw_from_the_page(client, make, auth):
    article = make.article()
    auth.login(make.user(name="Priya Patel"))
    response = client.post(f"/articles/{article.slug}/endorsement", data={"kind": "endorse", "note": "Solid method."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#endorsements")
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "Your endorsement is saved." in page and "Solid method." in page
    assert "Change your endorsement" in page and "Withdraw my endorsement" in page
    client.post(f"/articles/{article.slug}/endorsement/delete")
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "Your endorsement is withdrawn." in page and "Solid method." not in page and "Withdraw my" not in page


def test_the_panel_shows_totals_agencies_notes_and_why_it_ranks_there(client, make):
    article = make.article()
    lakeland = make.agency(name="Lakeland Council")
    northvale = make.agency(name="Northvale Health")
    _put(client, make.token(make.user(agency=lakeland, name="Ana Lima")), article.slug, kind="adopt",
         note="We adopted it for our permits service.")
    _put(client, make.token(make.user(agency=northvale, name="Ben Okoro")), article.slug, kind="adopt")
    _put(client, make.token(make.user(agency=article.agency, name="Cy Moss")), article.slug, kind="endorse",
         note="Proud of this one.")
    page = client.get(f"/articles/{article.slug}").data.decode()
    panel = page[page.index('id="endorsements"'):]
    # An adoption is not also an endorsement (issue #17): one endorsement, two adoptions.
    assert "<strong>1</strong> endorsement<" in panel and "<strong>2</strong> adoptions" in panel
    assert "<strong>3</strong> agencies" in panel and "<strong>6.25</strong> score" in panel
    assert "Lakeland Council" in panel and "Northvale Health" in panel and article.agency.name in panel
    assert "Ana Lima" in panel and "We adopted it for our permits service." in panel
    assert "Cy Moss" in panel and "Proud of this one." in panel
    assert ("It ranks there by its score of 6.25: adoptions by other agencies give 6 (3 each), "
            "its own agency's support 0.25 (a quarter of the usual).") in html.unescape(panel)


def test_the_panel_of_an_unendorsed_article_says_why_it_ranks_low(client, make):
    article = make.article()
    assert "It is not endorsed yet" in client.get(f"/articles/{article.slug}").data.decode()


def test_endorsements_are_rate_limited_per_person(new_app, make):
    app = new_app(ENDORSE_RATE_LIMIT="3 per minute")
    client = app.test_client()
    from tests.conftest import Factory

    make = Factory(app)
    article = make.article()
    token = make.token(make.user())
    statuses = [_put(client, token, article.slug, kind="endorse").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert _put(client, make.token(make.user()), article.slug, kind="endorse").status_code == 200


def test_an_endorsement_takes_the_same_number_of_statements_however_many_exist(client, make, app):
    first, second = make.article(), make.article()
    bulk_endorsements(app, first, 1, [make.agency()])
    bulk_endorsements(app, second, 50, [make.agency(), make.agency(), second.agency])
    counts = []
    for article in (first, second):
        token = make.token(make.user())
        with counting_statements(app) as statements:
            assert _put(client, token, article.slug, kind="endorse", note="Counted.").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert client.get(f"/api/v1/articles/{second.slug}").json["endorsements"]["count"] == 51
