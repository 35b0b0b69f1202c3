"""Fragments: what every reader's page shares is worked out once per data version in a worker."""
import pytest


def counting():
    calls = []

    def compute():
        calls.append(1)
        return ("value", len(calls))
    return calls, compute


def test_a_fragment_is_worked_out_once_per_data_version(app, make):
    from exchange.pagecache import versioned

    calls, compute = counting()
    for _ in range(3):
        with app.test_request_context("/articles/x"):
            assert versioned("test", 1, compute) == ("value", 1)
    make.article(title="A change every reader can see")  # moves the data version
    with app.test_request_context("/articles/x"):
        assert versioned("test", 1, compute) == ("value", 2)
        assert versioned("test", 2, compute) == ("value", 3), "another key is another fragment"
    assert len(calls) == 3


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_a_request_that_may_change_data_works_it_out_itself(app, method):
    from exchange.pagecache import versioned

    calls, compute = counting()
    for _ in range(2):
        with app.test_request_context("/articles/x", method=method):
            versioned("test", 1, compute)
    assert len(calls) == 2


def test_without_the_page_cache_nothing_is_kept(new_app):
    from exchange.pagecache import versioned

    app = new_app(PAGE_CACHE_MB=0)
    calls, compute = counting()
    for _ in range(2):
        with app.test_request_context("/articles/x"):
            versioned("test", 1, compute)
    assert len(calls) == 2


def test_a_members_article_page_shows_the_new_place_once_the_ranking_changes(app, make, client, auth):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.endorsements import services as endorsements

    first = make.article(title="The first practice")
    second = make.article(title="The second practice")
    auth.login(make.user())
    assert "2nd of 2 case studies" in client.get(f"/articles/{first.slug}").get_data(as_text=True)
    with app.app_context():
        endorsements.endorse(get_user(make.user().id), get_article(None, first.slug), "endorse", "Worked for us.")
    assert "1st of 2 case studies" in client.get(f"/articles/{first.slug}").get_data(as_text=True)
    assert "2nd of 2 case studies" in client.get(f"/articles/{second.slug}").get_data(as_text=True)
