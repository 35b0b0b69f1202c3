"""The article panel states the practice's place ("3rd of 41 case studies on open data by endorsements")
and why, counting published practices only (issue #17)."""
import html

from tests.conftest import bearer


def _put(client, make, article, kind="endorse", agency=None):
    user = make.user(agency=agency)
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind},
                          headers=bearer(make.token(user)))
    assert response.status_code == 200


def _panel(client, article) -> str:
    page = client.get(f"/articles/{article.slug}").data.decode()
    return html.unescape(page[page.index('id="endorsements"'):])


def test_the_place_sentence_matches_the_topic_list(client, make):
    author = make.user()
    made = [make.article(author, title=f"Open data practice {n}", tags=["Open Data"]) for n in range(4)]
    make.article(author, title="A playbook on open data", kind="playbook", tags=["Open Data"])
    make.article(author, title="Another case study", tags=["Procurement"])
    make.article(author, title="A draft on open data", tags=["Open Data"], status="draft")
    _put(client, make, made[0], "adopt")  # 3
    _put(client, make, made[1], "adopt")
    _put(client, make, made[1], "endorse")  # 4
    _put(client, make, made[2], "endorse")  # 1: the third
    page = client.get("/tags/open-data?sort=top").data.decode()
    assert page.index("Open data practice 1") < page.index("Open data practice 0") < page.index(
        "Open data practice 2") < page.index("Open data practice 3")
    panel = _panel(client, made[2])
    # Four case studies on open data (not the playbook, not the draft); five case studies in all.
    assert "3rd of 4 case studies on open data by endorsements; 3rd of 5 case studies by endorsements overall." in panel
    assert "How ranking works" in panel and 'href="/about/ranking"' in panel
    assert "It ranks there by its score of 1: endorsements by other agencies 1 (1 each)." in panel


def test_an_unendorsed_practice_is_placed_after_the_endorsed_ones(client, make):
    author = make.user()
    first = make.article(author, title="Endorsed one")
    last = make.article(author, title="Not endorsed")
    _put(client, make, first)
    panel = _panel(client, last)
    assert "2nd of 2 case studies by endorsements." in panel
    assert "It is not endorsed yet" in panel


def test_a_draft_has_no_place_and_is_never_counted(client, make, auth):
    author = make.user()
    published = make.article(author, title="Published one")
    draft = make.article(author, title="Draft one", status="draft")
    assert "1st of 1 case studies by endorsements." in _panel(client, published)
    auth.login(author)
    assert "case studies by endorsements" not in _panel(client, draft)
