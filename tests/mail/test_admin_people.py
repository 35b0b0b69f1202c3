"""The admin people page: verified or not, last sign-in; resend verification, send a reset; all audited."""
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.mail.conftest import link_in, path_of


def _audit(app):
    from exchange.audit import AuditEntry
    from exchange.db import db

    with app.app_context():
        return db.session.execute(sa.select(AuditEntry.action, AuditEntry.target).order_by(AuditEntry.id)).all()


def test_the_people_page_shows_verification_and_last_sign_in(client, make):
    admin = make.admin()
    make.user(name="Never Confirmed", verified=False)
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    page = client.get("/admin/people").data.decode()
    assert page.count("badge-verified") == 1 and page.count("badge-unverified") == 1
    assert "Never" in page and "Last sign-in" in page


def test_an_admin_resends_verification_and_the_link_works(client, app, make, smtp):
    admin = make.admin()
    person = make.user(verified=False)
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert client.post(f"/admin/people/{person.id}/verification").status_code == 302
    [message] = smtp.wait_for(1)
    assert message.envelope_to == [person.email]
    assert app.test_client().get(path_of(link_in(message, "/verify/"))).status_code == 302
    assert ("user.resend_verification", person.email) in _audit(app)


def test_an_admin_sends_a_reset_link(client, app, make, smtp):
    admin = make.admin()
    person = make.user()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert client.post(f"/admin/people/{person.id}/reset").status_code == 302
    [message] = smtp.wait_for(1)
    assert "An administrator sent you this link" in message.get_body(("plain",)).get_content()
    link = link_in(message, "/password/reset/")
    new = "a brand new pass phrase for me"
    assert app.test_client().post(path_of(link), data={"password": new, "password_confirm": new}).status_code == 302
    assert ("user.send_reset", person.email) in _audit(app)


def test_members_cannot_send_resets_or_verification(client, make, smtp):
    member, person = make.user(), make.user(verified=False)
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert client.post(f"/admin/people/{person.id}/reset").status_code == 403
    assert client.post(f"/admin/people/{person.id}/verification").status_code == 403
    assert smtp.messages == []


def test_deactivating_is_audited(client, app, make):
    admin, person = make.admin(), make.user()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    client.post(f"/admin/people/{person.id}/active", data={"active": "0", "confirm": "yes"})
    assert ("user.deactivate", person.email) in _audit(app)
