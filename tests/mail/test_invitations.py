"""Invitations: into an agency by email; the link sets a name and password once, and the account is verified."""
import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.mail.conftest import link_in, path_of, text_of

NEW = "a brand new pass phrase for me"


@pytest.fixture
def northvale(make):
    return make.agency("northvale", domains=["northvale.example.gov"])


def _invite(client, email, agency="northvale"):
    return client.post("/invitations", data={"email": email, "agency": agency})


def _accept(client, link, name="Kim Invited", password=NEW, confirm=None):
    return client.post(path_of(link), data={"name": name, "password": password,
                                            "password_confirm": confirm or password})


def test_an_admin_invites_and_the_link_makes_a_verified_account_once(client, app, make, smtp, northvale):
    admin = make.admin()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert _invite(client, "kim@contractor.example.com").status_code == 302
    [message] = smtp.wait_for(1)
    assert message.envelope_to == ["kim@contractor.example.com"]
    assert "invites you to join Northvale" in text_of(message)
    link = link_in(message, "/invitations/")
    visitor = app.test_client()
    assert visitor.get(path_of(link)).status_code == 200
    assert _accept(visitor, link).status_code == 302
    profile = visitor.get("/profile").data.decode()
    assert "Kim Invited" in profile and "Northvale" in profile and "was confirmed on" in profile
    assert app.test_client().get(path_of(link)).status_code == 404
    assert _accept(app.test_client(), link, name="Someone Else").status_code == 404


def test_pending_invitations_are_listed_and_a_revoked_link_stops_working(client, app, make, smtp, northvale):
    admin = make.admin()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    _invite(client, "kim@contractor.example.com")
    link = link_in(smtp.wait_for(1)[0], "/invitations/")
    page = client.get("/invitations").data.decode()
    assert "kim@contractor.example.com" in page
    from exchange.accounts.models import Invitation
    from exchange.audit import AuditEntry
    from exchange.db import db

    with app.app_context():
        invitation_id = db.session.scalar(sa.select(Invitation.id))
    assert client.post(f"/invitations/{invitation_id}/revoke").status_code == 302
    assert "is revoked" in client.get("/invitations").data.decode()  # the flash names it once
    assert "kim@contractor.example.com" not in client.get("/invitations").data.decode()
    assert app.test_client().get(path_of(link)).status_code == 404
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["invitation.create", "invitation.revoke"]


def test_an_expired_invitation_does_not_work(client, app, make, smtp, northvale):
    from exchange.accounts.models import Invitation
    from exchange.db import db, utcnow

    client.post("/login", data={"email": make.admin().email, "password": PASSWORD})
    _invite(client, "kim@contractor.example.com")
    link = link_in(smtp.wait_for(1)[0], "/invitations/")
    with app.app_context():
        db.session.execute(sa.update(Invitation).values(expires_at=utcnow()))
        db.session.commit()
    assert _accept(app.test_client(), link).status_code == 404


def test_members_invite_only_when_their_agency_allows_it(client, app, make, smtp, northvale):
    member = make.user(agency=northvale)
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert _invite(client, "kim@northvale.example.gov").status_code == 422
    assert smtp.messages == []
    admin_client = app.test_client()
    admin_client.post("/login", data={"email": make.admin().email, "password": PASSWORD})
    admin_client.post("/admin/agencies/northvale/invitations", data={"members_may_invite": "1"})
    assert _invite(client, "kim@northvale.example.gov").status_code == 302
    assert len(smtp.wait_for(1)) == 1
    assert _invite(client, "lee@other.example.gov", agency=make.agency().slug).status_code == 422


def test_an_address_with_an_account_is_not_invited(client, make, smtp, northvale):
    taken = make.user(agency=northvale)
    client.post("/login", data={"email": make.admin().email, "password": PASSWORD})
    response = _invite(client, taken.email)
    assert response.status_code == 422 and b"has an account already" in response.data


def test_the_invited_choose_a_password_by_the_rules(client, app, make, smtp, northvale):
    client.post("/login", data={"email": make.admin().email, "password": PASSWORD})
    _invite(client, "kim@contractor.example.com")
    link = link_in(smtp.wait_for(1)[0], "/invitations/")
    visitor = app.test_client()
    assert _accept(visitor, link, password="short").status_code == 422
    assert _accept(visitor, link, confirm="a different pass phrase").status_code == 422
    assert _accept(visitor, link).status_code == 302
