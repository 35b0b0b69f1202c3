"""What a search finds, in what order, with what snippet and suggestion."""
from exchange.articles.models import Article
from exchange.articles.services import archive, update_article
from exchange.db import db
from tests.search.conftest import search, slugs


def _author(article):
    from exchange.accounts.models import User

    return db.session.get(User, article.author_id)


def test_a_stemmed_form_finds_the_word(client, publish):
    found = publish(title="Letting residents decide", body="Residents voted on how to spend the budget.")
    publish(title="Something else", body="Nothing about money here.")
    assert slugs(search(client, q="budgeting")) == [found.slug]
    assert slugs(search(client, q="deciding residents")) == [found.slug]


def test_accents_do_not_matter(client, publish):
    found = publish(title="Régie des transports", body="Une expérience à Montréal.")
    assert slugs(search(client, q="regie montreal")) == [found.slug]
    assert slugs(search(client, q="EXPÉRIENCE")) == [found.slug]


def test_snippet_highlights_the_matched_words_and_escapes_the_rest(client, publish):
    publish(title="Open data portal", body="Waits fell to < 5 minutes & we published timetables as open data.")
    result = search(client, q="timetable")["results"][0]
    assert "<mark>timetables</mark>" in result["snippet"]
    assert "&lt; 5 minutes &amp; we" in result["snippet"]
    page = client.get("/search?q=timetable").get_data(as_text=True)
    assert "<mark>timetables</mark>" in page and "<b>bus</b>" not in page


def test_the_query_is_escaped_where_it_is_shown(client, publish):
    publish()  # the index exists (without one, search answers 503)
    page = client.get("/search", query_string={"q": '<script>alert("x")</script>'}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_drafts_are_never_found(client, publish):
    publish(title="Draft about composting", body="Composting pilot.", status="draft")
    assert search(client, q="composting")["total"] == 0


def test_an_article_archived_after_publishing_disappears(app, client, publish):
    article = publish(title="Composting at scale", body="Composting in every district.")
    assert search(client, q="composting")["total"] == 1
    with app.app_context():
        archive(_author(article), db.session.get(Article, article.id))
    assert search(client, q="composting")["total"] == 0


def test_an_edit_is_found_by_its_new_words_only(app, client, publish):
    article = publish(title="Street lighting", body="We replaced lamps.")
    with app.app_context():
        current = db.session.get(Article, article.id)
        update_article(_author(article), current, {"body": "We switched to LEDs."}, current.revision)
    assert search(client, q="lamps")["total"] == 0
    assert slugs(search(client, q="leds")) == [article.slug]


def test_a_deleted_article_leaves_the_index(app, client, publish):
    article = publish(title="Temporary practice", body="Ephemeral words.")
    with app.app_context():
        db.session.delete(db.session.get(Article, article.id))
        db.session.commit()
    assert search(client, q="ephemeral")["total"] == 0


def test_a_misspelling_gets_a_suggestion(client, publish):
    publish(title="Participatory budgeting in Rijnvelde", body="Residents chose neighbourhood projects.")
    answer = search(client, q="neighbourhod projects", as_typed="1")
    assert answer["suggestion"] == "neighbourhood projects"
    page = client.get("/search?q=neighbourhod+projects&as_typed=1").get_data(as_text=True)
    assert "Did you mean" in page and "neighbourhood projects</a>" in page


def test_a_correct_query_gets_no_suggestion(client, publish):
    publish(title="Participatory budgeting", body="Residents chose projects.")
    assert search(client, q="residents")["suggestion"] is None


def test_an_acronym_finds_its_expansion(client, publish):
    found = publish(title="Answering requests faster",
                    body="We cut the time to answer freedom of information requests.")
    publish(title="Information desk", body="A desk with information about freedom parks.")
    answer = search(client, q="foi")
    assert slugs(answer) == [found.slug] and answer["suggestion"] is None


def test_an_expansion_finds_its_acronym(client, publish):
    found = publish(title="Our PB pilot", body="A PB round in three districts.")
    assert slugs(search(client, q="participatory budgeting")) == [found.slug]


def test_a_title_match_ranks_above_a_body_match(client, publish):
    body_only = publish(title="Weekly charts", body="One chart mentioned recycling once.")
    in_title = publish(title="Recycling week", body="A week of charts.")
    assert slugs(search(client, q="recycling")) == [in_title.slug, body_only.slug]


def test_among_equally_relevant_practices_the_endorsed_one_comes_first(app, client, publish):
    plain = publish(title="Ward budget one", body="Residents decide the ward budget.")
    endorsed = publish(title="Ward budget two", body="Residents decide the ward budget.")
    assert search(client, q="ward budget")["total"] == 2
    with app.app_context():
        db.session.get(Article, endorsed.id).score = 4.0
        db.session.commit()
    answer = search(client, q="ward budget")
    assert slugs(answer) == [endorsed.slug, plain.slug]
    assert answer["results"][0]["score"] == 4.0


def test_sort_by_top_and_by_newest(app, client, publish):
    older = publish(title="Older parking practice", body="Parking.")
    newer = publish(title="Newer parking practice", body="Parking.")
    with app.app_context():
        db.session.get(Article, older.id).score = 2.0
        db.session.commit()
    assert slugs(search(client, q="parking", sort="top")) == [older.slug, newer.slug]
    assert slugs(search(client, q="parking", sort="new")) == [newer.slug, older.slug]


def test_results_come_in_pages(client, publish):
    for n in range(5):
        publish(title=f"Library pilot {n}", body="Libraries lending tools.")
    first = search(client, q="library", per_page=2)
    third = search(client, q="library", per_page=2, page=3)
    assert first["total"] == 5 and len(first["results"]) == 2 and len(third["results"]) == 1
    everything = slugs(first) + slugs(search(client, q="library", per_page=2, page=2)) + slugs(third)
    assert len(set(everything)) == 5
    page = client.get("/search?q=library&per_page=2").get_data(as_text=True)
    assert "Page 1 of 3" in page and 'rel="next"' in page


def test_an_empty_query_lists_the_newest_practices(client, publish):
    publish(title="First thing", body="One.")
    last = publish(title="Second thing", body="Two.")
    answer = search(client, q="")
    assert answer["total"] == 2 and slugs(answer)[0] == last.slug
    assert client.get("/search").status_code == 200


def test_no_results_page_is_friendly(client, publish):
    publish(title="Something", body="Else.")
    page = client.get("/search?q=zeppelin").get_data(as_text=True)
    assert "No results for “zeppelin”" in page and 'href="/tags"' in page


def test_a_long_query_is_shortened_to_64_content_words_with_a_notice(client, publish):
    publish(title="Budget", body="Budget.")
    answer = search(client, q=" ".join(["budget"] * 40))
    assert not answer["shortened"] and answer["total"] == 1
    answer = search(client, q=" ".join(["the budget"] * 100))  # stop words do not count
    assert answer["shortened"] and answer["query"].split().count("budget") == 64 and answer["total"] == 1
    page = client.get("/search", query_string={"q": "budget " * 100}).get_data(as_text=True)
    assert 'class="notice notice-warning"' in page and "Your search was shortened to the first 64 words" in page


def test_the_null_backend_finds_nothing_and_writes_nothing(new_app):
    app = new_app(SEARCH_BACKEND="null")
    from tests.conftest import Factory

    Factory(app).article(title="Invisible practice", body="Budget.")
    answer = app.test_client().get("/api/v1/search?q=budget").get_json()
    assert answer["total"] == 0 and answer["results"] == []
    with app.app_context():
        from exchange.search.indexing import pending_count

        assert pending_count() == 0


def test_an_article_unpublished_behind_the_index_back_is_never_shown(app, client, publish, new_app):
    article = publish(title="Withdrawn practice", body="Withdrawn words.")
    quiet = new_app(SEARCH_BACKEND="null")  # a change the index does not hear of
    with quiet.app_context():
        current = db.session.get(Article, article.id)
        archive(current.author, current)
    assert search(client, q="withdrawn")["results"] == []
    publish(title="Any later write", body="Repairs the index.")
    assert search(client, q="withdrawn")["total"] == 0


def test_an_endorsement_lifts_a_practice_in_search(app, client, make, publish):
    from exchange.accounts.services import get_user
    from exchange.endorsements.services import endorse

    plain = publish(title="Ward budget one", body="Residents decide the ward budget.")
    endorsed = publish(title="Ward budget two", body="Residents decide the ward budget.")
    reader = make.user()
    with app.app_context():
        endorse(get_user(reader.id), db.session.get(Article, endorsed.id), "adopt")
    answer = search(client, q="ward budget")
    assert slugs(answer) == [endorsed.slug, plain.slug] and answer["results"][0]["score"] == 3.0


def test_a_snippet_shows_the_passage_with_the_most_matches(client, publish):
    filler = " ".join(["Nothing relevant here."] * 60)
    publish(title="Long report",
            body=f"Recycling once. {filler} Recycling bins and recycling trucks, recycled daily. {filler}")
    snippet = search(client, q="recycling")["results"][0]["snippet"]
    assert snippet.count("<mark>") == 3 and snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>recycled</mark>" in snippet


def test_a_match_only_in_the_title_shows_the_summary(client, publish):
    publish(title="Composting guide", summary="How we started & kept going.", body="Nothing more.")
    assert search(client, q="composting")["results"][0]["snippet"] == "How we started &amp; kept going."


def test_the_total_and_facets_count_every_match_however_many_rank_above(app, make):
    """Once a page of strong matches is found, weaker ones must still be counted (and faceted).

    Whoosh's collector drops sub-queries that can no longer reach the page (here: the body,
    once endorsed title matches fill it); it used to stop counting the body-only matches.
    """
    import sqlalchemy as sa

    from exchange.articles.models import Article
    from exchange.db import db

    author = make.user()
    strong = [make.article(author, title=f"Harbour {n}", body="Ships.", tags=["ports"]) for n in ("one", "two")]
    with app.app_context():
        for article, score in zip(strong, (100.0, 500.0), strict=True):
            db.session.execute(sa.update(Article).where(Article.id == article.id).values(score=score))
        db.session.commit()
    for n in range(25):
        make.article(author, title=f"Notes {n}", body="Other words here. " * 20 + "harbour", tags=["coasts"])
    make.article(author, title="Harbour three", body="Ships.", tags=["ports"])
    # One segment, in database order, as after a rebuild: strong, strong, 25 weak, strong.
    assert app.test_cli_runner().invoke(args=["search", "reindex"]).exit_code == 0
    answer = search(app.test_client(), q="harbour", per_page=1)
    assert answer["total"] == 28
    assert {f["value"]: f["count"] for f in answer["facets"]["tag"]} == {"coasts": 25, "ports": 3}
