"""Email journeys in a real browser: the site under gunicorn sends to a real SMTP server on loopback."""
import re
import time
import uuid
from pathlib import Path

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import DESKTOP, PASSWORD
from tests.e2e.test_journeys import publish_case_study
from tests.mail.conftest import SmtpServer, link_in, path_of

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS NOT RUN: playwright is not installed").expect
PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mail_site(site, smtp):
    """A second server on the same database that sends its outbox to the loopback SMTP server."""
    return site.serve(workers=1, MAIL_URL=smtp.url, MAIL_SEND="inline")


def _wait_for_mail(smtp, address: str, count: int = 1):
    deadline = time.monotonic() + 15
    while len(smtp.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return smtp.to(address)


def test_register_follow_the_link_in_the_email_sign_in_and_endorse(site, world, contexts, smtp, mail_site):
    from exchange.accounts.services import add_agency
    from exchange.permissions import SYSTEM

    suffix = uuid.uuid4().hex[:6]
    with site.app.app_context():
        add_agency(SYSTEM, f"mailtown-{suffix}", f"Mailtown Council {suffix}", domains=[f"mailtown-{suffix}.example"])
    slug = publish_case_study(site, world.author, f"Letters people answer {suffix}")
    address = f"rita@mailtown-{suffix}.example"
    page = contexts(base_url=mail_site).new_page()
    page.goto("/register")
    page.get_by_label("Full name").fill("Rita Newcomer")
    page.get_by_label("Work email").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("main")).to_contain_text("We sent an email to that address")
    [message] = _wait_for_mail(smtp, address)
    page.goto(path_of(link_in(message, "/verify/")))
    expect(page.locator("main")).to_contain_text("your address is confirmed")
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/profile")
    expect(page.locator("main")).to_contain_text(re.compile(r"Verified.*was confirmed on"))
    page.goto(f"/articles/{slug}")
    panel = page.locator("#endorsements")
    panel.get_by_label("Endorse", exact=True).check()  # nothing is chosen for you (issue 17)
    panel.get_by_role("button", name="Record my endorsement or adoption").click()
    expect(page.locator("main")).to_contain_text("Your endorsement is saved.")
    again = contexts(base_url=mail_site).new_page()
    again.goto(path_of(link_in(message, "/verify/")))
    expect(again.locator("main")).to_contain_text("used already")


def test_forgot_password_in_the_browser(site, world, contexts, smtp, mail_site):
    person = site.person(world.agency, "Pat Forgetful")
    page = contexts(base_url=mail_site).new_page()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(person.email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("main")).to_contain_text("If an account uses that address")
    [message] = _wait_for_mail(smtp, person.email)
    page.goto(path_of(link_in(message, "/password/reset/")))
    new = "an entirely new pass phrase"
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password again").fill(new)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator("main")).to_contain_text("Your password is changed")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password", exact=True).fill(new)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url


SHOTS = [  # name, address (or a function of the test's links), who looks
    ("forgot-password", "/password/forgot", None),
    ("notification-settings", "/profile/notifications", "author"),
    ("invitations", "/invitations", "admin"),
    ("profile-email", "/profile", "author"),
    ("admin-people", "/admin/people", "admin"),
]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_screenshots_and_accessibility_of_the_new_pages(site, world, contexts, smtp, mail_site, tmp_path_factory,
                                                        width):
    import os

    from tests.e2e.conftest import ROOT, sideways_overflow

    chosen = os.environ.get("EXCHANGE_SCREENSHOTS_DIR")
    folder = (ROOT / chosen) if chosen else Path(tmp_path_factory.mktemp("mail-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    viewport = DESKTOP if width == "desktop" else PHONE_390
    pages = list(SHOTS) + _link_pages(site, world, contexts, smtp, mail_site)
    for name, path, who in pages:
        person = {"author": world.author, "admin": world.admin}.get(who)
        page = contexts(person.email if person else None, viewport=viewport, base_url=mail_site).new_page()
        response = page.goto(path)
        assert response.status == 200, f"{name}: {response.status}"
        spilled = sideways_overflow(page)
        assert not spilled, f"{path} at {width} width is wider than the window: {spilled}"
        assert_accessible(page, name)
        page.screenshot(path=str(folder / f"mail-{name}-{width}.png"), full_page=True, animations="disabled",
                        caret="hide")


def _link_pages(site, world, contexts, smtp, mail_site):
    """The pages reached from an email's link: reset, invitation, unsubscribe (fresh links each time)."""
    person = site.person(world.agency, "Shot Person")
    page = contexts(base_url=mail_site).new_page()
    page.goto("/password/forgot")
    page.get_by_label("Email").fill(person.email)
    page.get_by_role("button", name="Send me a link").click()
    [reset] = _wait_for_mail(smtp, person.email)
    admin = contexts(world.admin.email, base_url=mail_site).new_page()
    invited = f"guest-{uuid.uuid4().hex[:6]}@contractor.example"
    admin.goto("/invitations")
    admin.get_by_label("Their email").fill(invited)
    admin.get_by_role("button", name="Send the invitation").click()
    [invitation] = _wait_for_mail(smtp, invited)
    from exchange.mail.preferences import unsubscribe_url

    with site.app.test_request_context("/", base_url=mail_site):
        unsubscribe = unsubscribe_url(person.id, "endorsements")
    return [("reset-password", path_of(link_in(reset, "/password/reset/")), None),
            ("accept-invitation", path_of(link_in(invitation, "/invitations/")), None),
            ("unsubscribe", path_of(unsubscribe), None)]
