"""Revisions written while an article was a draft stay with its agency when it is published."""
import pytest

from tests.conftest import bearer


@pytest.fixture
def published_later(make):
    """Drafted in two revisions (the first with a secret), published (revision 3, which says so), then edited
    once in public (revision 4)."""
    from exchange.accounts.services import get_user
    from exchange.articles.models import Article
    from exchange.articles.services import publish, update_article
    from exchange.db import db

    author = make.user()
    draft = make.article(author, status="draft", title="Ferry pilot", body="The minister's secret deal.",
                         change_note="first secret note")
    with make.app.app_context():
        writer = get_user(author.id)
        article = db.session.get(Article, draft.id)
        update_article(writer, article, {"body": "A ferry pilot."}, 1, "cleaned up")
        publish(writer, article)
        update_article(writer, article, {"body": "A ferry pilot that worked."}, article.revision, "results")
        return author, article.slug  # its public address, taken at publication


def _numbers(client, slug, token=None) -> list[int]:
    response = client.get(f"/api/v1/articles/{slug}/revisions", headers=bearer(token) if token else {})
    assert response.status_code == 200
    return [revision["number"] for revision in response.get_json()["items"]]


def test_outsiders_see_only_revisions_since_publication(client, make, published_later):
    _, slug = published_later
    assert _numbers(client, slug) == [4, 3]
    assert _numbers(client, slug, make.token(make.user())) == [4, 3]


def test_owning_agency_and_admins_see_the_whole_history(client, make, published_later):
    author, slug = published_later
    assert _numbers(client, slug, make.token(make.user(agency=author.agency))) == [4, 3, 2, 1]
    assert _numbers(client, slug, make.token(make.admin())) == [4, 3, 2, 1]


def test_history_page_hides_the_draft_revisions_from_outsiders(client, make, auth, published_later):
    author, slug = published_later
    page = client.get(f"/articles/{slug}/history").get_data(as_text=True)
    assert "first secret note" not in page and "cleaned up" not in page
    assert "Status changed from draft to published" in page
    auth.login(author)
    assert "first secret note" in client.get(f"/articles/{slug}/history").get_data(as_text=True)


def test_diff_with_a_draft_revision_is_404_for_outsiders(client, make, auth, published_later):
    author, slug = published_later
    assert client.get(f"/articles/{slug}/diff?from=1&to=2").status_code == 404
    assert client.get(f"/articles/{slug}/diff?from=2&to=3").status_code == 404
    assert client.get(f"/articles/{slug}/diff?from=3&to=4").status_code == 200
    auth.login(make.user())
    assert client.get(f"/articles/{slug}/diff?from=1&to=3").status_code == 404
    auth.login(author)
    assert "secret deal" in client.get(f"/articles/{slug}/diff?from=1&to=3").get_data(as_text=True)


def test_default_diff_compares_visible_revisions(client, make):
    from exchange.accounts.services import get_user
    from exchange.articles.models import Article
    from exchange.articles.services import publish, update_article
    from exchange.db import db

    author = make.user()
    draft = make.article(author, status="draft", body="Secret first go.")
    with make.app.app_context():
        article = db.session.get(Article, draft.id)
        update_article(get_user(author.id), article, {"body": "Public text."}, 1)
        slug = publish(get_user(author.id), article).slug
    page = client.get(f"/articles/{slug}/diff")
    assert page.status_code == 200 and "Secret first go" not in page.get_data(as_text=True)


def test_an_article_published_at_creation_has_a_public_history(client, make):
    article = make.article()
    assert _numbers(client, article.slug) == [1]
