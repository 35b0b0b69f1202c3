"""Profiles show a person's published practices and the recognition they received."""
from tests.conftest import bearer


def test_profile_shows_articles_and_endorsements_received_from_how_many_agencies(client, make):
    author = make.user(name="Noor Haddad")
    first = make.article(author, title="Open data API")
    make.article(author, title="Chart of the week")
    make.article(author, title="Unfinished draft", status="draft")
    shared = make.agency()
    for agency, kind, article in [(shared, "adopt", first), (shared, "endorse", first), (None, "endorse", first)]:
        client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind},
                   headers=bearer(make.token(make.user(agency=agency))))
    page = client.get(f"/people/{author.id}").data.decode()
    assert "Open data API" in page and "Chart of the week" in page and "Unfinished draft" not in page
    assert "Published practices (2)" in page
    assert "<strong>2</strong> endorsements received" in page  # and the adoption apart: each counted once
    assert "<strong>1</strong> adoption" in page
    assert "<strong>2</strong> agencies vouched for their work" in page


def test_profile_of_someone_not_yet_endorsed(client, make):
    person = make.user(name="Sam New")
    page = client.get(f"/people/{person.id}").data.decode()
    assert "have not been endorsed yet" in page and "Nothing published yet." in page
