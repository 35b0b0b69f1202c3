"""Atom feeds: newest, per topic, per agency; valid Atom 1.0, published articles only."""
import re
import xml.etree.ElementTree as ET

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.data.startswith(b"<?xml")
    return ET.fromstring(response.data)


def _check_atom(feed: ET.Element, self_url: str) -> None:
    """The RFC 4287 rules we can check: ids, titles, updated, links, authors, one of each where required."""
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{name}")) == 1, name
        assert (feed.findtext(f"{A}{name}") or "").strip(), name
    assert RFC3339.match(feed.findtext(f"{A}updated"))
    _check_uri(feed.findtext(f"{A}id"))
    links = {link.get("rel", "alternate"): link for link in feed.findall(f"{A}link")}
    assert links["self"].get("href") == self_url and links["self"].get("type") == "application/atom+xml"
    assert links["alternate"].get("href", "").startswith("http://localhost/")
    feed_has_author = feed.find(f"{A}author/{A}name") is not None
    ids = []
    for entry in feed.findall(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
            assert (entry.findtext(f"{A}{name}") or "").strip(), name
        assert RFC3339.match(entry.findtext(f"{A}updated")) and RFC3339.match(entry.findtext(f"{A}published"))
        assert entry.findtext(f"{A}updated") >= entry.findtext(f"{A}published")
        _check_uri(entry.findtext(f"{A}id"))
        ids.append(entry.findtext(f"{A}id"))
        alternates = [link for link in entry.findall(f"{A}link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href").startswith("http://localhost/articles/")
        assert feed_has_author or entry.find(f"{A}author/{A}name") is not None
        assert entry.find(f"{A}author/{A}name").text.strip()
        assert entry.find(f"{A}summary").get("type") == "text"
    assert len(ids) == len(set(ids))


def _check_uri(value: str) -> None:
    assert re.match(r"^tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:\S+$", value) or value.startswith("http"), value


def _titles(feed):
    return [entry.findtext(f"{A}title") for entry in feed.findall(f"{A}entry")]


def test_newest_feed_is_valid_atom_and_holds_no_drafts(client, make):
    author = make.user(name="Ada Author")
    make.article(author, title="First practice")
    make.article(author, title="Second practice")
    make.article(author, title="A secret draft", status="draft")
    feed = _parse(client.get("/feeds/new.atom"))
    _check_atom(feed, "http://localhost/feeds/new.atom")
    assert _titles(feed) == ["Second practice", "First practice"]
    assert b"A secret draft" not in client.get("/feeds/new.atom").data
    entry = feed.find(f"{A}entry")
    assert entry.find(f"{A}author/{A}name").text.startswith("Ada Author")
    assert entry.findtext(f"{A}summary") == "What we tried."


def test_feed_entry_ids_are_stable(client, make):
    article = make.article(title="A practice")
    first = _parse(client.get("/feeds/new.atom")).find(f"{A}entry/{A}id").text
    make.article(title="Another practice")
    again = [e.findtext(f"{A}id") for e in _parse(client.get("/feeds/new.atom")).findall(f"{A}entry")]
    assert first in again and first.endswith(f":article:{article.id}")


def test_feed_ids_use_the_configured_authority(new_app):
    from tests.conftest import Factory

    app = new_app(FEED_TAG_AUTHORITY="exchange.example.gov", FEED_TAG_DATE="2026-11-01")
    Factory(app).article()
    feed = _parse(app.test_client().get("/feeds/new.atom"))
    assert feed.findtext(f"{A}id") == "tag:exchange.example.gov,2026-11-01:feed:new"
    assert feed.findtext(f"{A}entry/{A}id").startswith("tag:exchange.example.gov,2026-11-01:article:")


def test_tag_feed(client, make):
    make.article(title="On open data", tags=["Open Data"])
    make.article(title="On procurement", tags=["procurement"])
    make.article(title="Open data draft", tags=["open data"], status="draft")
    feed = _parse(client.get("/feeds/tags/open-data.atom"))
    _check_atom(feed, "http://localhost/feeds/tags/open-data.atom")
    assert _titles(feed) == ["On open data"]
    assert "Open Data" in feed.findtext(f"{A}title")
    assert feed.find(f"{A}entry/{A}category").get("term") == "open-data"


def test_agency_feed(client, make):
    agency = make.agency("harbour-city", name="Harbour City Council")
    mine, theirs = make.user(agency=agency), make.user()
    make.article(mine, title="From the harbour")
    make.article(theirs, title="From elsewhere")
    make.article(mine, title="Harbour draft", status="draft")
    feed = _parse(client.get("/feeds/agencies/harbour-city.atom"))
    _check_atom(feed, "http://localhost/feeds/agencies/harbour-city.atom")
    assert _titles(feed) == ["From the harbour"]
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links["alternate"] == "http://localhost/agencies/harbour-city"


def test_archived_articles_leave_the_feeds(client, make, app):
    from exchange.accounts.services import get_user
    from exchange.articles.services import archive, get_article

    author = make.user()
    article = make.article(author, title="Soon archived")
    with app.app_context():
        archive(get_user(author.id), get_article(None, article.slug))
    assert _titles(_parse(client.get("/feeds/new.atom"))) == []


def test_empty_feeds_are_still_valid(client, make):
    make.agency("quiet-council")
    for path in ("/feeds/new.atom", "/feeds/agencies/quiet-council.atom"):
        _check_atom(_parse(client.get(path)), f"http://localhost{path}")


def test_unknown_tag_or_agency_feed_is_404(client):
    assert client.get("/feeds/tags/nothing.atom").status_code == 404
    assert client.get("/feeds/agencies/nobody.atom").status_code == 404


def test_feed_holds_the_newest_50(client, make, app):
    author = make.user()
    for n in range(52):
        make.article(author, title=f"Practice number {n}")
    feed = _parse(client.get("/feeds/new.atom"))
    titles = _titles(feed)
    assert len(titles) == 50 and titles[0] == "Practice number 51" and "Practice number 0" not in titles


def test_everything_in_a_feed_is_escaped(client, make, auth):
    author = make.user(name='Bo <b>"Bold"</b> & Co')
    make.article(author, title='Less < more & "quotes" ]]> <script>x</script>',
                 summary="Summary with <i>tags</i> & ampersands ]]>")
    response = client.get("/feeds/new.atom")
    feed = _parse(response)
    entry = feed.find(f"{A}entry")
    assert entry.findtext(f"{A}title") == 'Less < more & "quotes" ]]> <script>x</script>'
    assert entry.findtext(f"{A}summary") == "Summary with <i>tags</i> & ampersands ]]>"
    assert entry.findtext(f"{A}author/{A}name").startswith('Bo <b>"Bold"</b> & Co')
    assert b"<script>" not in response.data and b"<i>" not in response.data


def test_feeds_work_for_visitors_when_public_read_is_on(client, make):
    make.article()
    assert client.get("/feeds/new.atom").status_code == 200


def test_feeds_need_sign_in_when_public_read_is_off(new_app):
    app = new_app(PUBLIC_READ=False)
    response = app.test_client().get("/feeds/new.atom")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_feed_answers_conditional_requests(client, make):
    make.article()
    first = client.get("/feeds/new.atom")
    again = client.get("/feeds/new.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_tag_and_agency_pages_link_to_their_feeds(client, make):
    agency = make.agency("harbour-city")
    make.article(make.user(agency=agency), tags=["open data"])
    assert 'href="/feeds/tags/open-data.atom"' in client.get("/tags/open-data").data.decode()
    assert 'href="/feeds/agencies/harbour-city.atom"' in client.get("/agencies/harbour-city").data.decode()
