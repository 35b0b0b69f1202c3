"""The admin area: admins only, people, agencies, featured practices and the audit log."""
import re

import pytest
import sqlalchemy as sa

from exchange.permissions import SYSTEM
from tests.conftest import PASSWORD, bearer

ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _sample(match) -> str:
    """A value for one URL argument: an id, a slug or the first of an any(...) choice."""
    converter, choices, _name = match.groups()
    if converter == "any":
        return choices.split(",")[0].strip()
    return "1" if converter == "int" else "some-slug"


def _admin_rules(app):
    """Every (method, path) of every rule under /admin, whoever's blueprint serves it."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin"):
            path = ARGUMENT.sub(_sample, rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, path


def _audit(app, action):
    from exchange.audit import AuditEntry
    from exchange.db import db

    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_every_admin_route_is_403_for_a_member(app, client, make, auth):
    auth.login(make.user())
    checked = []
    for method, path in _admin_rules(app):
        response = client.open(path, method=method)
        assert response.status_code == 403, (method, path)
        checked.append(path)
    assert {"/admin/", "/admin/people", "/admin/agencies", "/admin/featured", "/admin/audit"} <= set(checked)


def test_every_admin_route_sends_a_visitor_to_sign_in(app, client):
    for method, path in _admin_rules(app):
        response = client.open(path, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, path)


def test_every_admin_change_asks_an_admin_to_confirm_a_stale_sign_in(app, client, make, auth):
    import time

    auth.login(make.admin())
    with client.session_transaction() as session:
        session["auth_at"] = int(time.time()) - 20 * 60
    for method, path in _admin_rules(app):
        if method == "POST" and path.startswith(("/admin/people", "/admin/agencies", "/admin/featured")):
            response = client.post(path, data={"role": "member", "active": "0", "slug": "x"})
            assert response.status_code == 302 and "/login/confirm" in response.headers["Location"], path
    assert client.get("/admin/featured").status_code == 200  # reading needs no confirmation


def test_every_admin_page_opens_for_an_admin_with_the_admin_navigation(app, client, make, auth):
    auth.login(make.admin())
    for path in ["/admin/", "/admin/people", "/admin/agencies", "/admin/agencies/new", "/admin/featured",
                 "/admin/audit"]:
        page = client.get(path).data.decode()
        for link in ["/admin/people", "/admin/agencies", "/admin/featured", "/admin/moderation", "/admin/search",
                     "/admin/audit"]:
            assert f'href="{link}"' in page, (path, link)
        assert 'aria-label="Admin"' in page


def test_find_people_by_name_or_email(client, make, auth):
    auth.login(make.admin(name="Ada Admin"))
    make.user(name="Grace Hopper", email="grace@navy.example.gov", agency=make.agency(domains=["navy.example.gov"]))
    make.user(name="Alan Turing")
    page = client.get("/admin/people?q=hopper").data.decode()
    assert "Grace Hopper" in page and "Alan Turing" not in page
    page = client.get("/admin/people?q=NAVY.example").data.decode()
    assert "Grace Hopper" in page and "Alan Turing" not in page
    assert "Alan Turing" not in client.get("/admin/people?q=%25").data.decode()  # a literal %, not a wildcard


def test_change_a_role_writes_an_audit_entry(app, client, make, auth):
    admin = make.admin()
    person = make.user()
    auth.login(admin)
    response = client.post(f"/admin/people/{person.id}/role", data={"role": "admin"})
    assert response.status_code == 302
    assert "is now an admin" in client.get("/admin/people").data.decode()
    entries = _audit(app, "user.set_role")
    assert [(e.actor_id, e.target, e.detail) for e in entries] == [(admin.id, person.email, "admin")]


def test_deactivated_person_can_neither_sign_in_nor_use_a_token_and_both_are_audited(app, client, make, auth):
    admin = make.admin()
    person = make.user()
    token = make.token(person)
    auth.login(admin)
    client.post(f"/admin/people/{person.id}/active", data={"active": "0", "confirm": "yes"})
    assert len(_audit(app, "user.deactivate")) == 1
    auth.logout()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert client.post("/login", data={"email": person.email, "password": PASSWORD}).status_code != 302
    auth.login(admin)
    client.post(f"/admin/people/{person.id}/active", data={"active": "1"})
    assert len(_audit(app, "user.activate")) == 1
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401  # #13: revoked for good


def test_an_admin_cannot_deactivate_themselves(app, client, make, auth):
    admin = make.admin()
    auth.login(admin)
    client.post(f"/admin/people/{admin.id}/active", data={"active": "0", "confirm": "yes"})
    assert "You cannot deactivate yourself." in client.get("/admin/people").data.decode()
    assert _audit(app, "user.deactivate") == []


def test_add_and_edit_an_agency_with_its_domains_writes_audit_entries(app, client, make, auth):
    admin = make.admin()
    auth.login(admin)
    form = {"slug": "harbour-city", "name": "Harbour City Council", "acronym": "HCC", "level": "local",
            "country": "nz", "domains": "harbour.example.govt.nz\nhcc.example.govt.nz"}
    assert client.post("/admin/agencies/new", data=form).status_code == 302
    page = client.get("/admin/agencies").data.decode()
    assert "Harbour City Council" in page and "harbour.example.govt.nz, hcc.example.govt.nz" in page
    response = client.post("/admin/agencies/harbour-city/edit", data={**form, "domains": "harbour.example.govt.nz"})
    assert response.status_code == 302
    assert "hcc.example.govt.nz" not in client.get("/admin/agencies").data.decode()
    added = [e for e in _audit(app, "agency.add") if e.actor_id == admin.id]
    assert [e.target for e in added] == ["harbour-city"]
    assert [(e.actor_id, e.detail) for e in _audit(app, "agency.update")] == [(admin.id, "harbour.example.govt.nz")]


def test_a_refused_agency_form_keeps_what_was_typed(client, make, auth):
    auth.login(make.admin())
    response = client.post("/admin/agencies/new", data={"slug": "Not A Slug!", "name": "Kept Name Ltd",
                                                        "level": "local", "country": "", "domains": "kept.example.gov"})
    page = response.data.decode()
    assert response.status_code == 422 and "There is a problem" in page
    assert "Kept Name Ltd" in page and "kept.example.gov" in page


def test_feature_reorder_and_unfeature_in_the_admin_area_each_write_an_audit_entry(app, client, make, auth):
    author = make.user()
    first, second = make.article(author, title="First pick"), make.article(author, title="Second pick")
    auth.login(make.admin())
    client.post("/admin/featured", data={"slug": first.slug, "note": "Simple and cheap."})
    client.post("/admin/featured", data={"slug": f"https://exchange.example/articles/{second.slug}",
                                         "note": "Strong evidence.", "position": "1"})
    page = client.get("/admin/featured").data.decode()
    table = page[page.index("<table"):]
    assert table.index("Second pick") < table.index("First pick") and "Strong evidence." in table
    client.post(f"/admin/featured/{second.slug}/move", data={"direction": "down"})
    featured = [item["slug"] for item in client.get("/api/v1/featured").json["items"]]
    assert featured == [first.slug, second.slug]
    client.post(f"/admin/featured/{first.slug}/delete")
    assert [item["slug"] for item in client.get("/api/v1/featured").json["items"]] == [second.slug]
    assert [len(_audit(app, a)) for a in ("feature.add", "feature.move", "feature.remove")] == [2, 1, 1]


def test_a_refused_feature_keeps_what_was_typed(client, make, auth):
    auth.login(make.admin())
    response = client.post("/admin/featured", data={"slug": "no-such-article", "note": "Kept note", "until": "soon"})
    page = response.data.decode()
    assert response.status_code == 422 and "no-such-article" in page and "Kept note" in page


def test_the_article_page_offers_admins_to_feature_it(client, make, auth):
    article = make.article()
    auth.login(make.admin())
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert f'href="/admin/featured?slug={article.slug}"' in page
    assert f'value="{article.slug}"' in client.get(f"/admin/featured?slug={article.slug}").data.decode()


def test_audit_log_lists_every_admin_action_and_filters_by_action_and_actor(app, client, make, auth):
    ada, bob = make.admin(name="Ada Admin"), make.admin(name="Bob Admin")
    person = make.user(name="Pat Person")
    article = make.article()
    client.post("/api/v1/featured", json={"slug": article.slug}, headers=bearer(make.token(ada)))
    auth.login(bob)
    client.post(f"/admin/people/{person.id}/role", data={"role": "admin"})
    featured, made_admin = f"Ada Admin featured “{article.title}”", "Bob Admin made Pat Person an admin"
    page = client.get("/admin/audit").data.decode()
    assert featured in page and made_admin in page
    page = client.get("/admin/audit?action=feature.add").data.decode()
    table = page[page.index("<table"):]
    assert featured in table and made_admin not in table
    page = client.get(f"/admin/audit?actor={bob.id}").data.decode()
    table = page[page.index("<table"):]
    assert made_admin in table and featured not in table


def test_audit_log_is_paginated(app, client, make, auth):
    from exchange import audit
    from exchange.db import db

    admin = make.admin()
    with app.app_context():
        for n in range(60):
            audit.record(SYSTEM, "test.action", "thing", f"thing-{n}")
        db.session.commit()
    auth.login(admin)
    page = client.get("/admin/audit").data.decode()
    assert "Page 1 of 2" in page and "thing-59." in page and "thing-0." not in page
    assert "thing-0." in client.get("/admin/audit?page=2").data.decode()


@pytest.mark.parametrize("method, path", [("POST", "/api/v1/featured"), ("DELETE", "/api/v1/featured/x")])
def test_curation_api_is_403_for_members_and_401_without_a_token(client, make, method, path):
    assert client.open(path, method=method, json={"slug": "x"},
                       headers=bearer(make.token(make.user()))).status_code == 403
    assert client.open(path, method=method, json={"slug": "x"}).status_code == 401
