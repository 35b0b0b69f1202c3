"""Admins feature a challenge like a practice (issue #18): the home page's featured list links to it."""
from tests.conftest import bearer

PROBLEM = "Residents wait weeks for a reply about missed bin collections."


def _ask(client, make, person, **fields):
    body = {"title": "Replying about bins", "problem": PROBLEM, "status": "open", **fields}
    response = client.post("/api/v1/challenges", json=body, headers=bearer(make.token(person)))
    assert response.status_code == 201, response.json
    return response.json["slug"]


def _post(client, token, **body):
    return client.post("/api/v1/featured", json=body, headers=bearer(token))


def test_an_admin_features_a_challenge_and_the_home_page_links_to_it(client, make):
    asker = make.user(agency=make.agency("beta-city", name="Beta City Council"))
    practice = make.article(title="Answering in an hour")
    slug = _ask(client, make, asker)
    token = make.token(make.admin())
    assert _post(client, token, slug=practice.slug).status_code == 201
    response = _post(client, token, slug=slug, kind="challenge", note="Who has solved this?", position=1)
    assert response.status_code == 201, response.json
    assert response.json["kind"] == "challenge" and response.json["article"] is None
    assert response.json["challenge"]["slug"] == slug
    listed = client.get("/api/v1/featured").json["items"]
    assert [(f["kind"], f["slug"]) for f in listed] == [("challenge", slug), ("practice", practice.slug)]
    home = client.get("/").get_data(as_text=True)
    assert f'href="/challenges/{slug}"' in home and "Who has solved this?" in home
    assert home.index(f'href="/challenges/{slug}"') < home.index(f'href="/articles/{practice.slug}"')
    assert client.delete(f"/api/v1/featured/{slug}?kind=challenge", headers=bearer(token)).status_code == 204
    assert [f["kind"] for f in client.get("/api/v1/featured").json["items"]] == ["practice"]


def test_a_draft_challenge_cannot_be_featured_nor_a_non_admin_feature_one(client, make):
    asker = make.user(agency=make.agency("beta-city"))
    draft = _ask(client, make, asker, status="draft")
    response = _post(client, make.token(make.admin()), slug=draft, kind="challenge")
    assert response.status_code == 422
    public = _ask(client, make, asker, title="Another")
    assert _post(client, make.token(asker), slug=public, kind="challenge").status_code == 403
    assert _post(client, make.token(make.admin()), slug=public, kind="riddle").status_code == 422
    assert client.get("/api/v1/featured").json["items"] == []


def test_a_featured_challenge_back_to_hidden_leaves_the_home_page(app, client, make):
    from exchange.challenges.models import Challenge
    from exchange.db import db

    asker = make.user(agency=make.agency("beta-city"))
    slug = _ask(client, make, asker, title="Secret soon")
    assert _post(client, make.token(make.admin()), slug=slug, kind="challenge").status_code == 201
    with app.app_context():
        challenge = db.session.scalar(db.session.query(Challenge).filter_by(slug=slug).statement)
        challenge.status = "draft"
        db.session.commit()
    assert client.get("/api/v1/featured").json["items"] == []
    assert "Secret soon" not in client.get("/").get_data(as_text=True)


def test_the_admin_page_features_a_challenge_by_its_address(client, make, auth):
    asker = make.user(agency=make.agency("beta-city"))
    slug = _ask(client, make, asker)
    admin = make.admin()
    auth.login(admin)
    assert "Feature this challenge on the home page" in client.get(f"/challenges/{slug}").get_data(as_text=True)
    response = client.post("/admin/featured", data={"slug": f"http://localhost/challenges/{slug}",
                                                    "note": "Help them.", "position": "", "until": ""})
    assert response.status_code == 302
    page = client.get("/admin/featured").get_data(as_text=True)
    assert f'href="/challenges/{slug}"' in page and "Help them." in page
    edit = client.get(f"/admin/featured?slug={slug}&kind=challenge").get_data(as_text=True)
    assert 'value="challenge"' in edit and "Help them." in edit
    assert client.post(f"/admin/featured/{slug}/delete", data={"kind": "challenge"}).status_code == 302
    assert client.get("/api/v1/featured").json["items"] == []
