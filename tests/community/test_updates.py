""""Get updates" pages for a topic, an agency and a practice (email by following, or a feed), and feeds a
browser shows as a page through their XSL stylesheet while they stay valid Atom."""
import feedparser
import pytest

from tests.community.test_feeds import _check_atom, _parse

XSL = b'<?xml-stylesheet type="text/xsl" href="/static/xsl/feeds.xsl"?>'


def _edit(app, author, article, note, **fields):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article, update_article

    with app.app_context():
        current = get_article(None, article.slug) if article.status != "draft" else None
        user = get_user(author.id)
        current = current or get_article(user, article.slug)
        return update_article(user, current, {"summary": "What we tried, again.", **fields}, current.revision, note)


@pytest.fixture
def practice(make):
    author = make.user(agency=make.agency("harbour-city", name="Harbour City Council"))
    article = make.article(author, title="Weekend reply desk", tags=["Open Data"])
    return author, article


PAGES = {
    "tag": ("/tags/open-data/updates", "Get updates about Open Data", "/feeds/tags/open-data.atom",
            "new practices in this topic"),
    "agency": ("/agencies/harbour-city/updates", "Get updates about Harbour City Council",
               "/feeds/agencies/harbour-city.atom", "new practices from this agency"),
    "article": ("/articles/{slug}/updates", "Get updates about Weekend reply desk", "/feeds/articles/{slug}.atom",
                "new comments on this practice"),
}


@pytest.mark.parametrize("kind", PAGES)
def test_updates_page_offers_email_and_a_feed_each_explained(client, practice, kind):
    _, article = practice
    path, heading, feed, by_email = (part.format(slug=article.slug) for part in PAGES[kind])
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page
    assert "By email" in page and f"tells you about {by_email}" in page
    assert "In a feed reader" in page and "checks this address for you" in page
    assert f"http://localhost{feed}" in page
    assert f'href="/login?next={path}"' in page or f'href="/login?next={path.replace("/", "%2F")}"' in page
    assert client.get(feed).status_code == 200


def test_member_follows_from_the_updates_page_and_sees_their_email_choice(client, practice, make, auth):
    auth.login(make.user())
    page = client.get("/tags/open-data/updates").get_data(as_text=True)
    assert "Emails about what you follow: <strong>Weekly digest</strong>" in page
    assert 'href="/profile/notifications"' in page
    response = client.post("/follow/tag/open-data", data={"next": "/tags/open-data/updates"})
    assert response.headers["Location"].endswith("/tags/open-data/updates")
    assert "You follow this." in client.get("/tags/open-data/updates").get_data(as_text=True)
    client.post("/profile/notifications", data={"following": "none", "endorsements": "instant",
                                                 "comments": "instant", "replies": "instant", "moderation": "instant"})
    assert "no emails" in client.get("/tags/open-data/updates").get_data(as_text=True)


def test_unverified_member_is_told_emails_need_a_confirmed_address(client, practice, make, auth):
    auth.login(make.user(verified=False))
    page = client.get("/agencies/harbour-city/updates").get_data(as_text=True)
    assert "Emails go only to confirmed addresses" in page


def test_a_draft_has_no_updates_page_and_no_feed(client, make, auth):
    author = make.user()
    draft = make.article(author, title="Secret desk", status="draft")
    for viewer in (None, author):
        if viewer:
            auth.login(viewer)
        assert client.get(f"/articles/{draft.slug}/updates").status_code == 404
        assert client.get(f"/feeds/articles/{draft.slug}.atom").status_code == 404
    assert client.get("/tags/no-such-topic/updates").status_code == 404
    assert client.get("/agencies/no-such-agency/updates").status_code == 404


def test_topic_agency_and_article_pages_link_to_get_updates_not_a_bare_feed(client, practice):
    _, article = practice
    for path, updates in (("/tags/open-data", "/tags/open-data/updates"),
                          ("/agencies/harbour-city", "/agencies/harbour-city/updates"),
                          (f"/articles/{article.slug}", f"/articles/{article.slug}/updates")):
        page = client.get(path).get_data(as_text=True)
        assert f'href="{updates}"' in page and "Get updates" in page, path
        assert "Atom feed" not in page, path


@pytest.mark.parametrize("path", ["/feeds/new.atom", "/feeds/tags/open-data.atom",
                                  "/feeds/agencies/harbour-city.atom", "/feeds/articles/{slug}.atom"])
def test_every_feed_carries_the_xsl_stylesheet_and_stays_valid_atom(client, practice, path):
    _, article = practice
    path = path.format(slug=article.slug)
    response = client.get(path)
    assert XSL in response.data.split(b"<feed", 1)[0]
    _check_atom(_parse(response), f"http://localhost{path}")
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and parsed.entries


def test_the_stylesheet_is_served_from_this_site_which_the_policy_allows(client, practice):
    with client.get("/static/xsl/feeds.xsl") as response:
        assert response.status_code == 200 and b"<xsl:stylesheet" in response.data
    policy = client.get("/feeds/new.atom").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src" not in policy  # same-origin XSL: allowed


def test_article_feed_lists_its_public_changes_with_their_notes_only(client, app, make):
    author = make.user()
    draft = make.article(author, title="Weekend reply desk", status="draft")
    _edit(app, author, draft, "a private first note")
    published = _edit(app, author, draft, "", status="published")
    _edit(app, author, published, "Added the weekend rota figures", summary="With the weekend rota.")
    feed = feedparser.parse(client.get(f"/feeds/articles/{published.slug}.atom").data)
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert titles[0] == f"Revision {published.revision + 1}: Added the weekend rota figures"
    assert len(titles) == 2 and "a private first note" not in str(feed)
    assert f"/articles/{published.slug}/diff?from={published.revision}&to={published.revision + 1}" \
        in feed.entries[0].link
    assert feed.entries[1].link.endswith(f"/articles/{published.slug}/history")


def test_a_browser_gets_the_feed_as_xml_so_it_applies_the_stylesheet_and_readers_get_atom(client, practice):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    reader = "application/atom+xml,application/rss+xml;q=0.9,*/*;q=0.8"
    for path in ("/feeds/new.atom", "/feeds/tags/open-data.atom", "/feeds/challenges.atom"):
        as_page = client.get(path, headers={"Accept": browser})
        assert as_page.headers["Content-Type"] == "application/xml; charset=utf-8", path
        assert "Accept" in as_page.headers["Vary"]
        assert client.get(path, headers={"Accept": reader}).headers["Content-Type"] == \
            "application/atom+xml; charset=utf-8"
        assert client.get(path).headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        assert client.get(path, headers={"Accept": browser}).data == as_page.data
