"""Search tells nobody about what they may not see: no suggestion from unpublished text, no count of it."""
from exchange.articles.models import Article
from exchange.articles.services import archive, update_article
from exchange.db import db
from exchange.search.backends import configured
from tests.search.conftest import search, slugs


def _reindex(app):
    assert app.test_cli_runner().invoke(args=["search", "reindex"]).exit_code == 0


def _archive(app, article_id):
    with app.app_context():
        article = db.session.get(Article, article_id)
        archive(article.author, article)


def test_a_word_published_now_is_suggested(client, publish):
    publish(title="Zanzibar ferries", body="Boats.")
    assert search(client, q="zanzibr")["corrected"] == "zanzibar"
    assert search(client, q="zanzibr", as_typed="1")["suggestion"] == "zanzibar"


def test_a_word_only_in_a_draft_is_never_suggested(app, client, make, publish):
    publish(title="Harbour ferries", body="Boats.")
    make.article(title="Quokka census", body="Counting quokkas.", status="draft")
    _reindex(app)
    make.article(title="Another quokka count", body="Quokkas again.", status="draft")
    assert _offered(search(client, q="quokkaz")) == (None, None)
    assert search(client, q="quokka")["total"] == 0


def test_a_word_of_an_archived_article_is_not_suggested_without_a_reindex(app, client, publish):
    gone = publish(title="Zanzibar ferries", body="Boats.")
    _reindex(app)
    _archive(app, gone.id)
    assert _offered(search(client, q="zanzibr")) == (None, None)


def test_a_word_of_an_article_back_to_draft_is_not_suggested(app, client, publish):
    gone = publish(title="Zanzibar ferries", body="Boats.")
    _reindex(app)
    with app.app_context():
        article = db.session.get(Article, gone.id)
        update_article(article.author, article, {"status": "draft"}, 1)
    assert _offered(search(client, q="zanzibr")) == (None, None)


def test_a_word_of_a_deleted_article_is_not_suggested(app, client, publish):
    gone = publish(title="Zanzibar ferries", body="Boats.")
    _reindex(app)
    with app.app_context():
        db.session.delete(db.session.get(Article, gone.id))
        db.session.commit()
    assert _offered(search(client, q="zanzibr")) == (None, None)


def test_totals_and_facets_count_only_what_is_shown_while_the_index_lags(client, new_app, publish):
    kept = publish(title="Ferry timetable", body="Ferries.", tags=["Boats"])
    gone = publish(title="Ferry fares", body="Ferries.", tags=["Boats", "Fares"])
    quiet = new_app(SEARCH_BACKEND="null")  # changes the database without telling the index
    _archive(quiet, gone.id)
    answer = search(client, q="ferry")
    assert slugs(answer) == [kept.slug]
    assert answer["total"] == 1
    assert {v["value"]: v["count"] for v in answer["facets"]["tag"]} == {"boats": 1}
    assert {v["value"]: v["count"] for v in answer["facets"]["kind"]} == {"case_study": 1}


def test_totals_and_facets_count_only_what_is_shown_while_the_index_cannot_be_repaired(app, client, new_app,
                                                                                        publish):
    kept = publish(title="Ferry timetable", body="Ferries.", tags=["Boats"])
    gone = publish(title="Ferry fares", body="Ferries.", tags=["Boats", "Fares"])
    _archive(new_app(SEARCH_BACKEND="null"), gone.id)
    with app.app_context(), configured().backend.writer(timeout=5):  # another worker is writing
        answer = search(client, q="ferry")
    assert slugs(answer) == [kept.slug]
    assert answer["total"] == 1
    assert {v["value"]: v["count"] for v in answer["facets"]["tag"]} == {"boats": 1}
    assert search(client, q="ferry")["total"] == 1  # and the repair was kept for later


def _offered(answer) -> tuple:
    """What a search offers in place of the words typed: a suggestion, or results run corrected."""
    return answer["suggestion"], answer["corrected"]
