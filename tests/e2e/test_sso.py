"""Sign-in with the agency's own account in a browser: the sign-in page's button, at desktop and phone widths
(screenshots), and the whole journey through a real OpenID Connect provider (tests/oidc/provider.js).

With EXCHANGE_SCREENSHOTS_DIR=docs/screenshots the pictures refresh docs/screenshots/login-sso-*.png.
"""

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import DESKTOP, sideways_overflow
from tests.oidc.provider import Provider, certificate

pytestmark = pytest.mark.e2e

SLUG, DOMAIN = "lakeside-council", "lakeside.example.gov"
PERSON = f"lena.lake@{DOMAIN}"
CLIENT_ID, CLIENT_SECRET = "exchange-e2e", "e2e-client-secret-77a0"
WIDTHS = {"desktop": DESKTOP, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def sso(site, tmp_path_factory):
    """A server of the site trusting a provider that signs in Lakeside Council's staff (SSO required)."""
    from exchange.accounts import sso as sso_service
    from exchange.accounts.services import add_agency
    from exchange.permissions import SYSTEM

    tmp = tmp_path_factory.mktemp("sso-e2e")
    tls = certificate(tmp)
    url = site.serve(workers=1, SSO_CA_FILE=str(tls[1]))
    provider = Provider(tmp, [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                               "redirect_uris": [f"{url}/login/sso/{SLUG}/callback"]}],
                        {PERSON: {"email_verified": True, "name": "Lena Lake"}}, tls=tls)
    secret = tmp / "secret"
    secret.write_text(CLIENT_SECRET)
    with site.app.app_context():
        add_agency(SYSTEM, SLUG, "Lakeside Council", "LC", "local", "GB", [DOMAIN])
        sso_service.configure(SYSTEM, SLUG, provider.issuer, CLIENT_ID, secret_file=str(secret), required=True)
    yield url
    provider.stop()
    with site.app.app_context():  # passwords work again for any test after these
        import sqlalchemy as sa

        from exchange.accounts.models import AgencySignOn
        from exchange.db import db

        db.session.execute(sa.delete(AgencySignOn))
        db.session.commit()


def _refused_by_password(page):
    page.goto("/login")
    page.get_by_label("Email").fill(PERSON)
    page.get_by_label("Password", exact=True).fill("any password at all")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def _look(page, folder, name: str) -> None:
    assert not sideways_overflow(page)
    assert axe_violations(page) == []
    shot = folder / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True, animations="disabled", caret="hide")
    assert shot.stat().st_size > 5_000


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_page_lists_the_agency_button(width, sso, contexts, folder):
    page = contexts(viewport=WIDTHS[width], base_url=sso).new_page()
    page.goto("/login")
    assert page.locator(".sso-choices").get_by_role("link", name="Sign in with Lakeside Council").is_visible()
    _look(page, folder, f"login-sso-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_password_refused_points_to_the_agency_button(width, sso, contexts, folder):
    page = contexts(viewport=WIDTHS[width], base_url=sso).new_page()
    _refused_by_password(page)
    assert "sign in with their agency’s own account" in page.locator(".error-summary").inner_text()
    assert page.get_by_role("link", name="Sign in with Lakeside Council").count() == 1  # the suggested one
    _look(page, folder, f"login-sso-required-{width}")


def test_sign_in_through_the_agency_provider(sso, contexts):
    page = contexts(base_url=sso, ignore_https_errors=True).new_page()
    _refused_by_password(page)
    page.locator(".sso-suggested").get_by_role("link", name="Sign in with Lakeside Council").click()
    page.wait_for_url(f"{sso}/")
    page.goto("/profile")
    assert f"You are {PERSON}, member at Lakeside Council" in page.locator("main").inner_text()
    assert page.get_by_label("Full name").input_value() == "Lena Lake"  # the name the provider gave
