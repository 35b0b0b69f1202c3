"""Sign-in with the agency's own account, against a real OpenID Connect provider (tests/oidc/provider.js)."""
import pytest
import sqlalchemy as sa

from exchange.permissions import SYSTEM
from tests.conftest import PASSWORD
from tests.oidc.provider import SITE, Provider

SLUG = "home-office"
CLIENT_ID = "exchange-test"
CLIENT_SECRET = "a-test-client-secret-4b1d"
ALICE = "alice@homeoffice.example.gov"  # verified, on a vouched domain
ACCOUNTS = {
    ALICE: {"email_verified": True, "name": "Alice Archer"},
    "bob@homeoffice.example.gov": {"email_verified": True, "name": "Bob Baker"},
    "unverified@homeoffice.example.gov": {"email_verified": False, "name": "Una Verified"},
    "carol@contractors.example.gov": {"email_verified": True, "name": "Carol"},  # the agency's, not vouched for
    "dave@elsewhere.example.org": {"email_verified": True, "name": "Dave"},  # no agency's at all
}


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    running = Provider(tmp_path_factory.mktemp("oidc"), [{
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{SITE}/login/sso/{SLUG}/callback"],
    }], ACCOUNTS)
    yield running
    running.stop()


@pytest.fixture
def app(new_app, provider):
    return new_app(SSO_CA_FILE=str(provider.ca_file))


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "client_secret"
    path.write_text(CLIENT_SECRET + "\n")
    return path


@pytest.fixture
def agency(app, make, provider, secret_file):
    """An agency whose provider vouches for one of its two email domains."""
    from exchange.accounts import sso

    made = make.agency(SLUG, name="Home Office", domains=["homeoffice.example.gov", "contractors.example.gov"])
    with app.app_context():
        sso.configure(SYSTEM, SLUG, provider.issuer, CLIENT_ID, secret_file=str(secret_file),
                      domains=["homeoffice.example.gov"])
    return made


@pytest.fixture(autouse=True)
def untampered(provider):
    yield
    provider.tamper("")


def sso_sign_in(client, provider, email=ALICE):
    """Start at the app, sign in at the provider, and return the app's answer to the callback."""
    started = client.get(f"/login/sso/{SLUG}", query_string={"email": email})
    assert started.status_code == 302, started.text
    assert started.headers["Location"].startswith(provider.issuer + "/")
    return client.get(provider.sign_in(started.headers["Location"]))


def users(app):
    from exchange.accounts.models import User
    from exchange.db import db

    with app.app_context():
        return {u.email: (u.agency.slug, u.password_hash) for u in db.session.scalars(sa.select(User))}


def audit_actions(app):
    from exchange.audit import AuditEntry
    from exchange.db import db

    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.target, e.detail) for e in entries]


def signed_in(client) -> bool:
    return client.get("/profile").status_code == 200


# Success -------------------------------------------------------------------------

def test_first_sign_in_creates_the_account_in_the_agency(app, client, provider, agency):
    answer = sso_sign_in(client, provider)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert users(app)[ALICE] == (SLUG, "")  # in the agency, with no password
    assert signed_in(client)
    assert "Alice Archer" in client.get("/profile").text
    actions = [action for action, _, _ in audit_actions(app)]
    assert actions[-2:] == ["user.sso_add", "user.sso_sign_in"]


def test_second_sign_in_signs_into_the_same_account(app, client, provider, agency):
    assert sso_sign_in(client, provider).status_code == 302
    client.post("/logout")
    assert not signed_in(client)
    assert sso_sign_in(client, provider).status_code == 302
    assert signed_in(client)
    assert list(users(app)).count(ALICE) == 1
    actions = [action for action, _, _ in audit_actions(app)]
    assert actions.count("user.sso_add") == 1 and actions.count("user.sso_sign_in") == 2


def test_existing_password_account_signs_in_with_the_agency(app, client, provider, agency, make):
    make.user(email=ALICE, agency=agency)
    assert sso_sign_in(client, provider).status_code == 302
    assert signed_in(client)
    assert users(app)[ALICE][1]  # the password is kept: the agency does not require SSO


def test_sign_in_returns_to_the_page_asked_for(app, client, provider, agency):
    started = client.get(f"/login/sso/{SLUG}", query_string={"email": ALICE, "next": "/articles"})
    answer = client.get(provider.sign_in(started.headers["Location"]))
    assert answer.headers["Location"] == "/articles"


def test_authorization_request_carries_state_nonce_and_pkce(client, provider, agency):
    from urllib.parse import parse_qs, urlsplit

    started = client.get(f"/login/sso/{SLUG}")
    asked = parse_qs(urlsplit(started.headers["Location"]).query)
    assert asked["response_type"] == ["code"] and asked["client_id"] == [CLIENT_ID]
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) >= 43
    assert len(asked["state"][0]) >= 32 and len(asked["nonce"][0]) >= 32
    assert "openid" in asked["scope"][0].split() and "email" in asked["scope"][0].split()


# Refusals: nothing is created and nobody is signed in ------------------------------

@pytest.mark.parametrize("mode", ["audience", "signature", "expired", "nonce"])
def test_a_token_that_cannot_be_trusted_is_refused(app, client, provider, agency, mode):
    provider.tamper(mode)
    answer = sso_sign_in(client, provider)
    assert answer.status_code == 403
    assert "could not be trusted" in answer.text
    assert ALICE not in users(app)
    assert not signed_in(client)


def test_unverified_email_is_refused(app, client, provider, agency):
    answer = sso_sign_in(client, provider, "unverified@homeoffice.example.gov")
    assert answer.status_code == 403
    assert "has not verified your email address" in answer.text
    assert "unverified@homeoffice.example.gov" not in users(app)
    assert not signed_in(client)


@pytest.mark.parametrize("email", ["carol@contractors.example.gov", "dave@elsewhere.example.org"])
def test_domain_the_provider_does_not_vouch_for_is_refused(app, client, provider, agency, email):
    answer = sso_sign_in(client, provider, email)
    assert answer.status_code == 403
    assert "does not vouch for addresses like" in answer.text
    assert email not in users(app)
    assert not signed_in(client)


def test_state_mismatch_is_refused(app, client, provider, agency):
    started = client.get(f"/login/sso/{SLUG}", query_string={"email": ALICE})
    callback = provider.sign_in(started.headers["Location"])
    answer = client.get(callback.replace("state=", "state=forged"))
    assert answer.status_code == 403
    assert "not started here" in answer.text
    assert ALICE not in users(app)
    assert not signed_in(client)


def test_callback_without_a_started_sign_in_is_refused(app, client, provider, agency):
    """Another browser's callback (a login CSRF): this session started nothing, so nothing is accepted."""
    other = app.test_client()
    started = other.get(f"/login/sso/{SLUG}", query_string={"email": ALICE})
    answer = client.get(provider.sign_in(started.headers["Location"]))
    assert answer.status_code == 403
    assert not signed_in(client)


def test_callback_works_once(app, client, provider, agency):
    started = client.get(f"/login/sso/{SLUG}", query_string={"email": ALICE})
    callback = provider.sign_in(started.headers["Location"])
    assert client.get(callback).status_code == 302
    client.post("/logout")
    assert client.get(callback).status_code == 403
    assert not signed_in(client)


def test_provider_error_is_refused(app, client, provider, agency):
    started = client.get(f"/login/sso/{SLUG}", query_string={"email": ALICE})
    from urllib.parse import parse_qs, urlsplit

    state = parse_qs(urlsplit(started.headers["Location"]).query)["state"][0]
    answer = client.get(f"/login/sso/{SLUG}/callback", query_string={"error": "access_denied", "state": state})
    assert answer.status_code == 403
    assert "did not sign you in" in answer.text


def test_account_of_another_agency_is_refused(app, client, provider, agency, make):
    other = make.agency("other-agency", domains=["other.example.gov"])
    with app.app_context():
        from exchange.accounts.models import User
        from exchange.db import db

        user = make.user(email="someone@other.example.gov", agency=other)
        db.session.get(User, user.id).email = ALICE  # an old account whose address moved agencies
        db.session.commit()
    answer = sso_sign_in(client, provider)
    assert answer.status_code == 403
    assert not signed_in(client)


def test_unreachable_provider_says_so(app, client, make, secret_file):
    from exchange.accounts import sso

    make.agency("far-away", domains=["far.example.gov"])
    with app.app_context():
        sso.configure(SYSTEM, "far-away", "https://127.0.0.1:9", "x", secret_file=str(secret_file))
    answer = client.get("/login/sso/far-away")
    assert answer.status_code == 503
    assert "cannot be reached" in answer.text


def test_unreadable_secret_says_so_without_showing_where(app, client, provider, agency, secret_file, caplog):
    secret_file.unlink()
    answer = client.get(f"/login/sso/{SLUG}")
    assert answer.status_code == 503
    assert "not available just now" in answer.text and str(secret_file) not in answer.text
    assert f"no client secret in the file {secret_file}" in caplog.text  # the log tells the operator where


def test_unknown_agency_is_404(client):
    assert client.get("/login/sso/nobody").status_code == 404


# Password sign-in where the agency requires SSO ------------------------------------

def test_required_sso_refuses_password_sign_in(app, client, auth, make, provider, agency, secret_file):
    from exchange.accounts import sso

    user = make.user(email="bob@homeoffice.example.gov", agency=agency)
    with app.app_context():
        sso.configure(SYSTEM, SLUG, provider.issuer, CLIENT_ID, secret_file=str(secret_file),
                      domains=["homeoffice.example.gov"], required=True)
    answer = auth.login(user)
    assert answer.status_code == 422  # as every refused sign-in form
    assert "Sign in with Home Office" in answer.text  # the message and the button it points to
    assert 'href="/login/sso/home-office?email=bob@homeoffice.example.gov"' in answer.text
    assert not signed_in(client)
    assert sso_sign_in(client, provider, user.email).status_code == 302
    assert signed_in(client)


def test_required_sso_refuses_staff_on_a_domain_it_does_not_vouch_for(app, client, auth, make, provider, agency,
                                                                       secret_file):
    from exchange.accounts import sso

    user = make.user(email="carol@contractors.example.gov", agency=agency)
    with app.app_context():
        sso.configure(SYSTEM, SLUG, provider.issuer, CLIENT_ID, secret_file=str(secret_file),
                      domains=["homeoffice.example.gov"], required=True)
    assert "sign in with their agency’s own account" in auth.login(user).text
    assert not signed_in(client)


def test_optional_sso_keeps_password_sign_in(client, auth, make, agency):
    user = make.user(email="bob@homeoffice.example.gov", agency=agency)
    assert auth.login(user, PASSWORD).status_code == 302
    assert signed_in(client)


# The sign-in page -------------------------------------------------------------------

def test_sign_in_page_offers_each_agency_with_its_own_sign_in(client, agency):
    page = client.get("/login").text
    assert "Sign in with Home Office" in page
    assert 'href="/login/sso/home-office"' in page


def test_sign_in_page_suggests_the_agency_of_the_address_typed(client, make, agency):
    page = client.post("/login", data={"email": "bob@homeoffice.example.gov", "password": "wrong"}).text
    assert "Home Office has its own sign-in" in page


def test_sign_in_page_without_providers_offers_none(client):
    assert "Sign in with" not in client.get("/login").text


def test_client_secret_is_never_shown(app, client, provider, agency):
    sso_sign_in(client, provider)
    assert CLIENT_SECRET not in client.get("/login").text
    assert all(CLIENT_SECRET not in " ".join(entry) for entry in audit_actions(app))
    with app.app_context():
        from exchange.db import db

        for table in ("agency_sign_on", "sign_on_identities", "audit_log"):
            rows = db.session.execute(sa.text(f"SELECT * FROM {table}")).all()
            assert CLIENT_SECRET not in repr(rows)


# exchange agency sso -------------------------------------------------------------------

def sign_on_rows(app):
    from exchange.db import db

    with app.app_context():
        rows = db.session.execute(sa.text("SELECT issuer, client_id, client_secret_source, domains, required"
                                          " FROM agency_sign_on")).all()
        return [(*row[:4], bool(row[4])) for row in rows]


def test_cli_configures_the_agency_without_storing_the_secret(app, runner, make, secret_file):
    make.agency(SLUG, name="Home Office", domains=["homeoffice.example.gov", "contractors.example.gov"])
    result = runner.invoke(args=["agency", "sso", SLUG, "--issuer", "https://id.example.gov/realms/staff",
                                 "--client-id", "exchange", "--client-secret-file", str(secret_file), "--require"])
    assert result.exit_code == 0, result.output
    assert "home-office signs in with https://id.example.gov/realms/staff" in result.output
    assert "/login/sso/home-office/callback" in result.output
    assert sign_on_rows(app) == [("https://id.example.gov/realms/staff", "exchange", f"file:{secret_file}",
                                  "contractors.example.gov homeoffice.example.gov", True)]
    assert CLIENT_SECRET not in result.output
    action, target, detail = audit_actions(app)[-1]
    assert (action, target) == ("agency.sso", SLUG)
    assert f"secret from file {secret_file}" in detail and CLIENT_SECRET not in detail


def test_cli_again_replaces_the_settings(app, runner, make, secret_file):
    make.agency(SLUG, domains=["homeoffice.example.gov"])
    base = ["agency", "sso", SLUG, "--issuer", "https://id.example.gov", "--client-id"]
    assert runner.invoke(args=[*base, "one", "--client-secret-file", str(secret_file), "--require"]).exit_code == 0
    assert runner.invoke(args=[*base, "two", "--client-secret-env", "HOME_OFFICE_SECRET"]).exit_code == 0
    assert sign_on_rows(app) == [("https://id.example.gov", "two", "env:HOME_OFFICE_SECRET",
                                  "homeoffice.example.gov", False)]


@pytest.mark.parametrize("change, message", [
    ({"--issuer": "http://id.example.gov"}, "must be an https:// URL"),
    ({"--issuer": "https://id.example.gov/?x=1"}, "must be an https:// URL"),
    ({"--client-id": " "}, "Enter a client id"),
    ({"--client-secret-file": "/nonexistent/secret"}, "Cannot read a client secret"),
    ({"--client-secret-file": None}, "one of them"),
    ({"--client-secret-env": "NOT A NAME", "--client-secret-file": None}, "not an environment variable name"),
    ({"--client-secret-env": "BOTH"}, "one of them"),
    ({"--domain": "elsewhere.example.gov"}, "is not an email domain of"),
])
def test_cli_bad_input_changes_nothing(app, runner, make, secret_file, change, message):
    make.agency(SLUG, domains=["homeoffice.example.gov"])
    options = {"--issuer": "https://id.example.gov", "--client-id": "exchange",
               "--client-secret-file": str(secret_file), **change}
    args = ["agency", "sso", SLUG] + [part for key, value in options.items() if value is not None
                                      for part in (key, value)]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert sign_on_rows(app) == []


def test_cli_sso_off_brings_passwords_back(app, runner, client, auth, make, provider, agency, secret_file):
    from exchange.accounts import sso

    user = make.user(email="bob@homeoffice.example.gov", agency=agency)
    with app.app_context():
        sso.configure(SYSTEM, SLUG, provider.issuer, CLIENT_ID, secret_file=str(secret_file), required=True)
    assert auth.login(user).status_code == 422
    result = runner.invoke(args=["agency", "sso-off", SLUG])
    assert result.exit_code == 0 and "no longer signs in with its own provider" in result.output
    assert sign_on_rows(app) == []
    assert audit_actions(app)[-1][:2] == ("agency.sso_remove", SLUG)
    assert "Sign in with Home Office" not in client.get("/login").text
    assert auth.login(user).status_code == 302
    again = runner.invoke(args=["agency", "sso-off", SLUG])
    assert again.exit_code == 1 and "has no sign-in of its own" in again.output


def test_cli_unknown_agency(runner, secret_file):
    result = runner.invoke(args=["agency", "sso", "nobody", "--issuer", "https://id.example.gov",
                                 "--client-id", "x", "--client-secret-file", str(secret_file)])
    assert result.exit_code == 1 and "no agency 'nobody'" in result.output


# Confirming it is you before a sensitive action ------------------------------------------

def _not_recent(client):
    """Signed in an hour ago: still signed in, but not recently enough for a sensitive action."""
    import time

    with client.session_transaction() as session:
        session["auth_at"] = int(time.time()) - 3600


def test_sso_account_confirms_with_its_agency_before_a_sensitive_action(app, client, provider, agency):
    sso_sign_in(client, provider)
    _not_recent(client)
    assert client.post("/profile/tokens", data={"label": "x"}).headers["Location"].startswith("/login/confirm")
    page = client.get("/login/confirm?next=/profile").text
    assert "Confirm with Home Office" in page and 'name="password"' not in page  # it has no password
    started = client.get(f"/login/sso/{SLUG}", query_string={"confirm": "1", "next": "/profile"})
    assert "prompt=login" in started.headers["Location"]
    answer = client.get(provider.sign_in(started.headers["Location"]))
    assert answer.headers["Location"] == "/profile"
    assert "exo_" in client.post("/profile/tokens", data={"label": "x"}).text  # the new token is shown
    assert [action for action, _, _ in audit_actions(app)][-1] == "user.sso_confirm"


def test_confirmation_without_a_new_sign_in_at_the_provider_is_refused(app, client, provider, agency):
    sso_sign_in(client, provider)
    _not_recent(client)
    provider.tamper("stale-login")
    started = client.get(f"/login/sso/{SLUG}", query_string={"confirm": "1"})
    answer = client.get(provider.sign_in(started.headers["Location"]))
    assert answer.status_code == 403 and "did not ask for your password again" in answer.text
    assert client.post("/profile/tokens", data={"label": "x"}).headers["Location"].startswith("/login/confirm")


# The admin people page ----------------------------------------------------------------

def test_admin_people_page_says_how_each_person_signs_in(app, provider, agency, make):
    from html import unescape

    make.user(email="bob@homeoffice.example.gov", agency=agency)
    sso_sign_in(app.test_client(), provider, "bob@homeoffice.example.gov")  # a password and SSO
    sso_sign_in(app.test_client(), provider, ALICE)  # SSO only
    make.user(email="kim@homeoffice.example.gov", agency=agency)  # a password only
    admin = make.admin()
    admin_client = app.test_client()
    assert admin_client.post("/login", data={"email": admin.email, "password": PASSWORD}).status_code == 302
    page = unescape(admin_client.get("/admin/people").text)
    rows = {email.split("@")[0]: page.split(email, 1)[1].split("</tr>", 1)[0]
            for email in (ALICE, "bob@homeoffice.example.gov", "kim@homeoffice.example.gov")}
    assert '<td data-label="Signs in with">SSO</td>' in rows["alice"]
    assert '<td data-label="Signs in with">SSO and password</td>' in rows["bob"]
    assert '<td data-label="Signs in with">password</td>' in rows["kim"]


# Valid HTML ------------------------------------------------------------------------------

def test_sso_pages_are_valid_html(app, client, provider, agency, make, tmp_path):
    from tests.test_html_validity import validate

    make.user(email="bob@homeoffice.example.gov", agency=agency)
    pages = {
        "sign-in page with an agency button": client.get("/login").text,
        "sign-in page suggesting the agency": client.post(
            "/login", data={"email": "bob@homeoffice.example.gov", "password": "wrong"}).text,
    }
    sso_sign_in(client, provider)
    pages["confirm page of an SSO account"] = client.get("/login/confirm").text
    files = {}
    for number, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{number}.html"
        path.write_text(html)
        files[path] = name
    assert validate(files) == []
