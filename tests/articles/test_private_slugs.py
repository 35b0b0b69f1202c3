"""A draft claims no public address: slugs never tell an outsider that another agency's draft exists."""
import pytest

from tests.conftest import bearer

TITLE = "Road safety audits"


@pytest.fixture
def harbour_draft(make):
    """A never-published draft of the harbour agency titled TITLE; and its author."""
    author = make.user(agency=make.agency("harbour"))
    return make.article(author, status="draft", title=TITLE), author


def _form(**fields):
    return {"title": TITLE, "kind": "case_study", "summary": "What we tried.", "body": "Text.",
            "edit_policy": "agency", **fields}


def test_draft_address_is_private_and_holds_its_clean_slug(harbour_draft):
    draft, _ = harbour_draft
    clean, _, secret = draft.slug.partition("--")
    assert clean == "road-safety-audits"
    assert len(secret) == 6 and secret.isalnum() and secret.islower()


def test_outsiders_page_article_titled_like_a_draft_gets_the_clean_slug(client, make, auth, harbour_draft):
    auth.login(make.user())
    response = client.post("/articles/new", data={**_form(), "publish": "1"})
    response = client.post(response.headers["Location"])  # past "check your answers"
    assert response.headers["Location"] == "/articles/road-safety-audits"


def test_outsiders_api_article_titled_like_a_draft_gets_the_clean_slug(client, make, harbour_draft):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", headers=bearer(token),
                           json={"title": TITLE, "kind": "case_study", "summary": "Ours.", "status": "published",
                                 "body": "Text."})
    assert response.status_code == 201
    assert response.json["slug"] == "road-safety-audits"
    assert response.headers["Location"] == "/api/v1/articles/road-safety-audits"


def test_published_draft_takes_the_next_free_slug_and_its_agency_still_finds_it(client, make, auth, harbour_draft):
    draft, author = harbour_draft
    make.article(title=TITLE)  # another agency publishes the same title first
    auth.login(author)
    assert client.get(f"/articles/{draft.slug}").status_code == 200
    assert f'href="/articles/{draft.slug}"' in client.get("/agencies/harbour").get_data(as_text=True)

    response = client.post(f"/articles/{draft.slug}/publish")

    assert response.headers["Location"] == "/articles/road-safety-audits-2"
    assert "Road safety audits" in client.get("/articles/road-safety-audits-2").get_data(as_text=True)
    token = make.token(author)
    assert client.get("/api/v1/articles/road-safety-audits-2", headers=bearer(token)).json["status"] == "published"
    # The draft address was never public, and nothing ever pointed at it for others: it is gone.
    assert client.get(f"/articles/{draft.slug}").status_code == 404


def test_published_draft_takes_its_clean_slug_when_free(client, make, auth, harbour_draft):
    draft, author = harbour_draft
    auth.login(author)
    response = client.post(f"/articles/{draft.slug}/edit", data={**_form(base_revision="1"), "publish": "1"})
    response = client.post(response.headers["Location"])  # past "check your answers"
    assert response.headers["Location"] == "/articles/road-safety-audits"
    assert client.get("/articles/road-safety-audits").status_code == 200


def test_archived_draft_takes_a_public_slug(app, harbour_draft):
    from exchange.accounts.services import get_user
    from exchange.articles.services import archive, get_article

    draft, author = harbour_draft
    with app.app_context():
        archived = archive(get_user(author.id), get_article(get_user(author.id), draft.slug))
        assert archived.slug == "road-safety-audits"
        assert get_article(None, "road-safety-audits").status == "archived"


def test_explicit_api_slug_equal_to_another_agencys_draft_is_accepted(client, make, harbour_draft):
    for status, expected in (("draft", "road-safety-audits--"), ("published", "road-safety-audits")):
        token = make.token(make.user())  # each of another agency
        response = client.post("/api/v1/articles", headers=bearer(token), json={
            "title": f"Ours, {status}", "kind": "case_study", "summary": "Ours.", "status": status, "body": "Text.",
            "slug": "road-safety-audits"})
        assert response.status_code == 201, response.json
        assert response.json["slug"].startswith(expected)


def test_explicit_api_slug_clashes_with_a_published_article_or_own_agencys_draft(client, make, harbour_draft):
    draft, author = harbour_draft
    make.article(title="Taken already")
    token = make.token(author)
    for slug, status in (("taken-already", "published"), ("road-safety-audits", "draft")):
        response = client.post("/api/v1/articles", headers=bearer(token), json={
            "title": "Mine", "kind": "case_study", "summary": "Mine.", "slug": slug, "status": status,
            "body": "Text."})
        assert response.status_code == 409, slug
        assert response.json["error"]["fields"] == {"slug": "taken"}


def test_explicit_api_slug_must_be_canonical(client, make):
    token = make.token(make.user())
    response = client.post("/api/v1/articles", headers=bearer(token), json={
        "title": "Mine", "kind": "case_study", "summary": "Mine.", "slug": "road--safety"})
    assert response.status_code == 422
    assert "slug" in response.json["error"]["fields"]


def test_same_agency_drafts_of_one_title_get_distinct_clean_slugs(make, harbour_draft):
    _, author = harbour_draft
    second = make.article(author, status="draft", title=TITLE)
    assert second.slug.partition("--")[0] == "road-safety-audits-2"


def test_wiki_links_resolve_to_the_draft_once_published(client, make, auth, harbour_draft):
    draft, author = harbour_draft
    make.article(title=TITLE)  # takes road-safety-audits; the draft will take road-safety-audits-2
    linking = make.article(title="Linking here", body="See [[road-safety-audits]] and [[road-safety-audits-2]].")
    page = client.get(f"/articles/{linking.slug}").get_data(as_text=True)
    assert 'href="/articles/road-safety-audits"' in page
    assert 'href="/articles/road-safety-audits-2"' not in page
    auth.login(author)
    client.post(f"/articles/{draft.slug}/publish")
    assert 'href="/articles/road-safety-audits-2"' in client.get(f"/articles/{linking.slug}").get_data(as_text=True)
    assert 'href="/articles/linking-here"' in client.get("/articles/road-safety-audits-2").get_data(as_text=True)
