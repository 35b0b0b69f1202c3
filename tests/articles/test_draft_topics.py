"""A topic used only by drafts does not exist for anyone who cannot see one of those drafts."""
import pytest

from tests.conftest import bearer

# Where a topic shows whether it exists, each with what a topic that never existed answers
# (a list's unknown filter is 422 on the API, as every bad list parameter is).
TOPIC_ADDRESSES = ["/tags/{slug}", "/feeds/tags/{slug}.atom", "/api/v1/articles?tag={slug}"]
UNKNOWN = {"/tags/{slug}": 404, "/feeds/tags/{slug}.atom": 404, "/api/v1/articles?tag={slug}": 422}


@pytest.fixture
def secret_topic(make):
    """A draft of the harbour agency, the only article tagged "Secret plans"; and its author."""
    harbour = make.agency("harbour")
    author = make.user(agency=harbour)
    make.article(author, status="draft", title="Our secret plan", tags=["Secret plans"])
    return author


def _listed(client, token=None) -> set[str]:
    """The topics /api/v1/tags lists (to ``token``'s owner) and /tags lists (to the session's user)."""
    api = {tag["slug"] for tag in client.get("/api/v1/tags", headers=bearer(token) if token else {})
           .get_json()["items"]}
    page = client.get("/tags").get_data(as_text=True)
    return api | {slug for slug in ("secret-plans", "passing-fad") if f'href="/tags/{slug}"' in page}


def _get(client, address, token=None):
    return client.get(address, headers=bearer(token) if token and "/api/" in address else {})


@pytest.mark.parametrize("address", TOPIC_ADDRESSES)
def test_draft_only_topic_answers_like_an_unknown_one(client, make, auth, secret_topic, address):
    assert client.get(address.format(slug="never-was")).status_code == UNKNOWN[address]
    assert client.get(address.format(slug="secret-plans")).status_code == UNKNOWN[address]
    outsider = make.user()
    auth.login(outsider)
    assert _get(client, address.format(slug="secret-plans"), make.token(outsider)).status_code == UNKNOWN[address]


@pytest.mark.parametrize("address", TOPIC_ADDRESSES)
def test_draft_only_topic_exists_for_its_agency(client, make, auth, secret_topic, address):
    auth.login(secret_topic)
    assert _get(client, address.format(slug="secret-plans"), make.token(secret_topic)).status_code == 200


def test_draft_only_topic_is_not_listed_for_outsiders(client, make, auth, secret_topic):
    assert "secret-plans" not in _listed(client)
    outsider = make.user()
    auth.login(outsider)
    assert "secret-plans" not in _listed(client, make.token(outsider))


def test_draft_only_topic_is_listed_for_its_agency_and_admins(client, make, auth, secret_topic):
    assert "secret-plans" in _listed(client, make.token(secret_topic))
    auth.login(secret_topic)
    assert "secret-plans" in _listed(client)
    admin = make.admin()
    assert "secret-plans" in _listed(client, make.token(admin))


def test_draft_only_topic_cannot_be_followed_by_outsiders(client, make, auth, secret_topic):
    auth.login(make.user())
    assert client.post("/follow/tag/never-was").status_code == 404
    assert client.post("/follow/tag/secret-plans").status_code == 404


def test_search_by_draft_only_topic_answers_as_for_an_unknown_one(client, secret_topic):
    for address in ("/api/v1/search?tag={slug}", "/search?tag={slug}"):
        unknown = client.get(address.format(slug="never-was"))
        secret = client.get(address.format(slug="secret-plans"))
        assert secret.status_code == unknown.status_code
        assert secret.get_data(as_text=True).replace("secret-plans", "never-was") == unknown.get_data(as_text=True)


def test_topic_appears_when_its_draft_is_published(client, make, secret_topic):
    from exchange.articles.services import publish

    make.article(status="draft", title="Another plan", tags=["Secret plans"])
    with make.app.app_context():
        from exchange.accounts.services import get_user
        from exchange.articles.models import Article
        from exchange.db import db

        author = get_user(secret_topic.id)
        publish(author, db.session.query(Article).filter_by(agency_id=author.agency_id).one())
    assert client.get("/tags/secret-plans").status_code == 200
    assert "secret-plans" in _listed(client)


def test_topic_dropped_by_every_article_disappears(client, make, auth):
    author = make.user()
    article = make.article(author, tags=["Passing fad"])
    assert "passing-fad" in _listed(client)
    auth.login(author)
    response = client.post(f"/articles/{article.slug}/edit", data={
        "title": article.title, "kind": "case_study", "summary": "What we tried.", "body": "Some text.",
        "tags": "", "edit_policy": "agency", "base_revision": "1", "change_note": ""})
    assert response.status_code == 302
    auth.logout()
    assert "passing-fad" not in _listed(client)
    assert client.get("/tags/passing-fad").status_code == 404
