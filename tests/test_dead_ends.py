"""Better dead ends and empty states (#20 item 11): a missing article offers a search, a refused edit says
what you can do instead, empty lists invite staff to share, the evidence badge's meaning shows without hover,
and notifications quote the adoption note."""
from urllib.parse import quote_plus

from tests.conftest import PASSWORD


def test_a_missing_article_offers_a_search_for_the_words_in_its_address(client):
    response = client.get("/articles/chatbots-for-council-tax")
    assert response.status_code == 404
    page = response.data.decode()
    assert f'href="/search?q={quote_plus("chatbots for council tax")}"' in page
    assert "Search for “chatbots for council tax”" in page


def test_a_draft_is_a_plain_404_with_the_same_search_offer(client, make):
    draft = make.article(title="Secret plans for the ferry", status="draft")
    response = client.get(f"/articles/{draft.slug}")
    assert response.status_code == 404
    assert "Secret plans for the ferry" not in response.data.decode()  # only the words of the address


def test_other_missing_pages_offer_no_search(client):
    assert "/search?q=" not in client.get("/no-such-page").data.decode()


def test_a_refused_edit_says_what_you_can_do_instead(client, make, auth):
    article = make.article(title="Chatbots for council tax")  # a case study: its agency edits it
    auth.login(make.user())
    response = client.get(f"/articles/{article.slug}/edit")
    assert response.status_code == 403
    page = response.data.decode()
    assert "What you can do" in page
    for anchor in ("comments", "endorsements"):
        assert f'href="/articles/{article.slug}#{anchor}"' in page
    assert "Comment on it" in page and "Endorse it" in page and "adopted it" in page
    assert f'href="/articles/{article.slug}">Ask the team' in page


def test_an_empty_agency_page_drops_sorting_and_invites_its_staff_to_share(client, make, auth):
    harbour = make.agency("harbour", name="Harbour Council")
    page = client.get("/agencies/harbour").data.decode()
    assert 'class="sort-links"' not in page and "Nothing published yet." in page
    assert "/articles/new" not in page.split("<main")[1]
    auth.login(make.user(agency=harbour))
    page = client.get("/agencies/harbour").data.decode()
    assert 'class="sort-links"' not in page
    assert "Share what Harbour Council tried" in page and 'href="/articles/new?kind=case_study"' in page


def test_empty_lists_drop_their_sort_links(client, make):
    for path in ("/case-studies", "/playbooks"):
        assert 'class="sort-links"' not in client.get(path).data.decode(), path
    make.article(kind="case_study")
    assert 'class="sort-links"' in client.get("/case-studies").data.decode()


def test_the_evidence_meaning_is_visible_text_not_only_a_tooltip(client, make):
    agency = make.agency("harbour")
    make.article(author=make.user(agency=agency), title="Chatbots for council tax", evidence_level=2)
    for path in ("/case-studies", "/agencies/harbour"):
        page = client.get(path).data.decode()
        assert '<span class="evidence-meaning">We measured a change</span>' in page, path


def test_an_adoption_notification_quotes_its_note(app, client, make):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.endorsements import services as endorsements

    author = make.user()
    article = make.article(author, title="Chatbots for council tax")
    adopter = make.user(name="Femi Fan")
    with app.app_context():
        endorsements.endorse(get_user(adopter.id), get_article(None, article.slug), "adopt",
                             "We run it for parking permits now.")
    client.post("/login", data={"email": author.email, "password": PASSWORD})
    page = client.get("/notifications").data.decode()
    assert "adopted your practice “Chatbots for council tax”." in page
    assert "“We run it for parking permits now.”" in page
