"""The results page as a reader sees it: summaries, readable snippets, a useful page when nothing is found."""
import re

from tests.search.conftest import search


def page(client, **args) -> str:
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_result_shows_its_summary_and_a_snippet_with_the_words_highlighted(client, publish):
    publish(title="Bin rounds", summary="Fewer missed bins after a route change.",
            body="We changed the rounds.\n\nMissed collections fell by a third.")
    html = page(client, q="collections")
    assert "Fewer missed bins after a route change." in html
    assert "<mark>collections</mark>" in html


def test_a_stemmed_match_is_highlighted_too(client, publish):
    publish(title="Bin rounds", summary="Rounds.", body="Crews kept collecting on public holidays.")
    assert "<mark>collecting</mark>" in page(client, q="collections")


def test_a_snippet_is_the_rendered_text_without_markdown(client, publish):
    publish(title="Bin rounds", summary="Rounds.",
            body="We **halved** the [missed collections](https://example.org/report) in `2024`.")
    result = search(client, q="collections")["results"][0]
    assert "**" not in result["snippet"] and "](" not in result["snippet"] and "`" not in result["snippet"]
    assert "the missed <mark>collections</mark> in 2024" in result["snippet"]


def test_table_cells_stay_apart_in_a_snippet(client, publish):
    publish(title="Waiting times", summary="Waits fell.",
            body="| Measure | Before | After |\n|---|---|---|\n| Collections missed | 40 | 12 |\n")
    snippet = search(client, q="collections")["results"][0]["snippet"]
    assert "Measure · Before · After; <mark>Collections</mark> missed · 40 · 12;" in snippet


def test_a_wiki_link_reads_as_the_title_of_the_article_it_names(client, publish):
    target = publish(title="Chart of the week", summary="A weekly chart.", body="One chart a week.")
    publish(title="Weekly posts", summary="Posts.", body=f"Collections of charts, like [[{target.slug}]].")
    snippet = search(client, q="collections")["results"][0]["snippet"]
    assert "like Chart of the week." in snippet and target.slug not in snippet


def test_a_synonym_match_says_why_it_was_found(client, publish):
    publish(title="Answering requests faster", summary="Quicker replies.",
            body="We cut the time to answer freedom of information requests.")
    html = page(client, q="foi")
    assert "Also finding “freedom of information”, which means the same as “foi”." in html
    assert "<mark>freedom</mark>" in html


def test_the_zero_result_page_has_no_empty_sort_links_or_facets(client, publish):
    publish(title="Bin rounds", body="Collections.")
    html = page(client, q="zeppelins")
    assert "No results for “zeppelins”" in html
    assert 'class="sort-links"' not in html and "Narrow your results" not in html


def test_the_zero_result_page_invites_the_reader_to_share_with_the_title_filled_in(client, auth, make):
    make.article(title="Bin rounds", body="Collections.")
    html = page(client, q="zeppelin mooring")
    assert 'href="/articles/new?title=zeppelin+mooring"' in html
    assert "Ask other agencies" not in html  # no challenges yet: no link to nowhere
    auth.login(make.user())
    form = client.get("/articles/new?title=zeppelin+mooring").get_data(as_text=True)
    assert re.search(r'name="title"[^>]*value="zeppelin mooring"', form)


def test_a_long_query_says_it_was_shortened(client, publish):
    publish(title="Bin rounds", body="Collections.")
    words = " ".join(f"word{n}" for n in range(300))
    assert "Your search was shortened to the first 64 words." in page(client, q=words)


def test_the_help_page_explains_words_phrases_and_operators_and_is_linked(client, publish):
    publish(title="Bin rounds", body="Collections.")
    html = page(client, q="anything")
    assert 'href="/search/help"' in html
    help_page = client.get("/search/help")
    assert help_page.status_code == 200
    text = help_page.get_data(as_text=True)
    for promise in ("Every word is optional", "“how”, “the”", "“collections” also finds “collecting”",
                    '"open data"', "-permits", "AND", "OR", "most endorsed", "endorsements never lift"):
        assert promise in text, promise


def test_a_search_is_answered_once_per_data_version_and_logged_every_time(app, client, publish, monkeypatch):
    """The second reader asking the same question gets the kept results; a new practice shows at once."""
    from exchange.search.analytics import top_queries
    from exchange.search.backends import configured

    publish(title="Bin rounds", body="Missed collections fell by a third.")
    with app.app_context():
        backend = configured().backend
    asked = []
    original = type(backend).search
    monkeypatch.setattr(type(backend), "search", lambda self, request: asked.append(request) or original(self, request))
    assert "Bin rounds" in page(client, q="collections")
    assert "Bin rounds" in page(app.test_client(), q="collections")
    assert len(asked) == 1
    publish(title="Weekend collections", body="Collections on Saturdays.")
    assert "Weekend collections" in page(client, q="collections") and len(asked) == 2
    with app.app_context():
        assert dict((stat.query, stat.searches) for stat in top_queries())["collections"] == 3


def test_the_page_is_kept_as_html_for_visitors_and_for_members_apart(app, client, auth, make, monkeypatch):
    """The page below the header is rendered once per address, signed in or not, and data version: the
    zero-result page tells a visitor they will be asked to sign in, never a member, whoever asked first."""
    from exchange.search import routes

    make.article(title="Bin rounds", body="Collections.")
    rendered = []
    original = routes.render_template
    monkeypatch.setattr(routes, "render_template",
                        lambda name, **values: rendered.append(name) or original(name, **values))
    visitor = app.test_client()
    assert "you will be asked to sign in" in page(visitor, q="zeppelin mooring")
    assert "you will be asked to sign in" in page(visitor, q="zeppelin mooring")
    assert rendered.count("search/_results_body.html") == 1 and rendered.count("search/results.html") == 2
    auth.login(make.user(name="Mo Member"))
    member = page(client, q="zeppelin mooring")
    assert "you will be asked to sign in" not in member and "Mo Member" in member
    assert "you will be asked to sign in" in page(visitor, q="zeppelin mooring")
