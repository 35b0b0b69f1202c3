"""Featured practices through the API: public list, admins feature, reorder and unfeature; end dates."""
from datetime import timedelta

from exchange.db import utcnow
from tests.conftest import bearer


def _post(client, token, **body):
    return client.post("/api/v1/featured", json=body, headers=bearer(token))


def test_admin_features_an_article_with_a_note_position_and_end_date(client, make):
    article = make.article()
    until = (utcnow().date() + timedelta(days=30)).isoformat()
    response = _post(client, make.token(make.admin()), slug=article.slug, note="Cut waiting times by half.",
                     position=1, until=until)
    assert response.status_code == 201
    assert response.json == {**response.json, "slug": article.slug, "note": "Cut waiting times by half.",
                             "position": 1, "until": until}
    listed = client.get("/api/v1/featured").json["items"]
    assert [(f["slug"], f["note"]) for f in listed] == [(article.slug, "Cut waiting times by half.")]
    assert listed[0]["article"]["title"] == article.title and listed[0]["article"]["featured"] is True
    assert client.get(f"/api/v1/articles/{article.slug}").json["featured"] is True


def test_the_featured_list_is_public_and_ordered_by_position(client, make):
    author = make.user()
    token = make.token(make.admin())
    one, two, three = (make.article(author) for _ in range(3))
    _post(client, token, slug=one.slug)
    _post(client, token, slug=two.slug)
    _post(client, token, slug=three.slug, position=1)
    assert [f["slug"] for f in client.get("/api/v1/featured").json["items"]] == [three.slug, one.slug, two.slug]
    _post(client, token, slug=three.slug, position=3)  # featuring again moves it
    assert [(f["slug"], f["position"]) for f in client.get("/api/v1/featured").json["items"]] == \
        [(one.slug, 1), (two.slug, 2), (three.slug, 3)]


def test_unfeature_through_the_api(client, make):
    article = make.article()
    token = make.token(make.admin())
    _post(client, token, slug=article.slug)
    assert client.delete(f"/api/v1/featured/{article.slug}", headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/featured").json["items"] == []
    assert client.delete(f"/api/v1/featured/{article.slug}", headers=bearer(token)).status_code == 404


def test_only_published_articles_can_be_featured(client, make):
    draft = make.article(status="draft")
    response = _post(client, make.token(make.admin()), slug=draft.slug)
    assert response.status_code == 422 and "slug" in response.json["error"]["fields"]


def test_bad_feature_input_is_422_naming_the_field(client, make):
    article = make.article()
    token = make.token(make.admin())
    yesterday = (utcnow().date() - timedelta(days=1)).isoformat()
    for body, field in [({"until": "next week"}, "until"), ({"until": yesterday}, "until"),
                        ({"position": 0}, "position"), ({"position": "first"}, "position"),
                        ({"note": "x" * 281}, "note"), ({"colour": "red"}, "colour")]:
        response = _post(client, token, slug=article.slug, **body)
        assert response.status_code == 422 and field in response.json["error"]["fields"], body


def test_a_feature_ending_today_is_still_shown(client, make):
    article = make.article()
    _post(client, make.token(make.admin()), slug=article.slug, until=utcnow().date().isoformat())
    assert [f["slug"] for f in client.get("/api/v1/featured").json["items"]] == [article.slug]


def test_article_page_shows_the_featured_badge(client, make):
    article = make.article()
    _post(client, make.token(make.admin()), slug=article.slug, note="Worth copying.")
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert 'class="badge badge-featured"' in page and "Worth copying." in page


def test_api_featured_flag_costs_one_query_for_a_whole_list(app, client, make):
    from tests.endorsements.helpers import counting_statements

    author = make.user()
    articles = [make.article(author) for _ in range(4)]
    _post(client, make.token(make.admin()), slug=articles[0].slug)
    counts = []
    for per_page in (1, 4):
        with counting_statements(app) as statements:
            items = client.get(f"/api/v1/articles?per_page={per_page}").json["items"]
        counts.append(len(statements))
        assert len(items) == per_page
    assert counts[0] == counts[1]


def test_openapi_describes_endorsement_and_curation(client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert {"put", "delete"} <= set(document["paths"]["/articles/{slug}/endorsement"])
    assert {"get", "post"} <= set(document["paths"]["/featured"])
    assert "delete" in document["paths"]["/featured/{slug}"]
