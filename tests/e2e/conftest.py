"""Browser tests: the site under gunicorn on loopback, driven by Debian's Chromium through Playwright.

One server and one browser for the whole package; a fresh browser context (cookies, storage)
per test. Without /usr/bin/chromium the tests skip, loudly; with EXCHANGE_E2E_REQUIRED=1 (CI)
a missing browser fails them instead.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e import world as world_module

ROOT = Path(__file__).resolve().parents[2]
# Debian's; Playwright's own download is not used
CHROMIUM = os.environ.get("EXCHANGE_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
REQUIRED = os.environ.get("EXCHANGE_E2E_REQUIRED") == "1"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
PASSWORD = world_module.PASSWORD

_skipped: set[str] = set()

# Runs before any page script: records CSP violations, and gives hostile input a place to leave a mark.
RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI,
                               source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});
"""


# Skipping and failing -------------------------------------------------------------

def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -e '.[test]')"
    return None


def require_browser() -> None:
    """Skip (or, in CI, fail) when there is no browser to drive."""
    reason = browser_missing()
    if reason is None:
        return
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if REQUIRED:
        pytest.fail(f"{message}; EXCHANGE_E2E_REQUIRED=1 makes this a failure", pytrace=False)
    _skipped.add(message)
    pytest.skip(message)


def pytest_collection_modifyitems(items):
    """Screenshots first among the browser tests, while the site holds only the starter library and the world."""
    here = [i for i, item in enumerate(items) if Path(item.path).is_relative_to(Path(__file__).parent)]
    ours = sorted((items[i] for i in here), key=lambda item: not item.path.name == "test_screenshots.py")
    for i, item in zip(here, ours, strict=True):
        items[i] = item


def pytest_collection_finish(session):
    """In CI a run that cannot drive a browser stops here, before anything is reported as passed."""
    reason = browser_missing()
    if reason and REQUIRED:
        pytest.exit(f"BROWSER TESTS CANNOT RUN: {reason}; EXCHANGE_E2E_REQUIRED=1 makes this a failure", returncode=1)


def pytest_terminal_summary(terminalreporter):
    for message in sorted(_skipped):
        terminalreporter.write_line(f"WARNING: {message}. Set EXCHANGE_E2E_REQUIRED=1 to fail instead.",
                                    yellow=True, bold=True)


# The server -----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """A running instance: its address, its settings, and an in-process app on the same database."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.settings = {
            "DATABASE_URL": f"sqlite:///{tmp / 'exchange.db'}",
            "SECRET_KEY": "e2e-secret-key",
            "SEARCH_BACKEND": "whoosh",
            "SEARCH_INDEX": str(tmp / "search_index"),
            "RATELIMIT_STORAGE_URI": f"exchange+sqlite:///{tmp / 'ratelimits.db'}",
            "ADMIN_MFA": False,
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "COMMENT_RATE_LIMIT": "1000 per minute",
            "ENDORSE_RATE_LIMIT": "1000 per minute",
        }
        self.servers: list[subprocess.Popen] = []
        self.world: world_module.World | None = None
        self._app = None

    def env(self, **overrides) -> dict:
        """The environment a process of this instance runs with."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")}
        for key, value in {**self.settings, **overrides}.items():
            env[f"EXCHANGE_{key}"] = str(value).lower() if isinstance(value, bool) else str(value)
        return env

    def cli(self, *args, stdin: str | None = None) -> str:
        """Run the ``exchange`` command on this instance."""
        command = [sys.executable, "-c", "from exchange.cli import main; main()", *args]
        done = subprocess.run(command, cwd=ROOT, env=self.env(), input=stdin, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"exchange {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    @property
    def app(self):
        """An app in this process on the instance's database and index, to seed data through services."""
        if self._app is None:
            from exchange import create_app

            self._app = create_app(dict(self.settings))
        return self._app

    def person(self, agency: str, name: str = "Sam Tester", role: str = "member") -> world_module.Person:
        """A new account at ``agency`` (a slug), made through the services."""
        import uuid

        from exchange.accounts.services import add_user, get_agency
        from exchange.permissions import SYSTEM

        with self.app.app_context():
            domain = get_agency(agency).domain_names[0]
            user, _ = add_user(SYSTEM, f"tester-{uuid.uuid4().hex[:8]}@{domain}", name, agency, role, PASSWORD)
            return world_module.Person(user.id, user.email, user.name)

    def serve(self, workers: int = 2, **overrides) -> str:
        """Start gunicorn on a free loopback port and wait until it answers; return its base URL."""
        port = free_port()
        log = self.tmp / f"gunicorn-{port}.log"
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--bind", f"127.0.0.1:{port}",
                   "--timeout", "60", "wsgi:app"]
        with open(log, "w") as output:
            server = subprocess.Popen(command, cwd=ROOT, env=self.env(**overrides), stdout=output,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        self.servers.append(server)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if server.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")

    def mfa_url(self) -> str:
        """A second server on the same database with two-step sign-in required for admins (started once)."""
        if not getattr(self, "_mfa_url", None):
            self._mfa_url = self.serve(workers=1, ADMIN_MFA=True)
        return self._mfa_url

    def stop(self) -> None:
        for server in self.servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
        for server in self.servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if self._app is not None:
            self._app.extensions["exchange.db"].kw["bind"].dispose()


@pytest.fixture(scope="package")
def site(tmp_path_factory):
    """The Exchange under gunicorn (2 workers), with the starter library and the shared world."""
    require_browser()
    instance = Site(tmp_path_factory.mktemp("e2e"))
    try:
        instance.cli("db", "upgrade")
        instance.cli("content", "load", str(ROOT / "content"))
        instance.world = world_module.build(instance.app, "")
        instance.url = instance.serve()
        yield instance
    finally:
        instance.stop()


@pytest.fixture(scope="package")
def world(site) -> world_module.World:
    return site.world


@pytest.fixture(scope="package")
def catalogue(site, world):
    """Every page type (tests/e2e/pages.py) at its address in this instance."""
    from tests.e2e.pages import admin_paths, page_types

    return page_types(world, admin_paths(site.app))



@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Where a test module's screenshots go: EXCHANGE_SCREENSHOTS_DIR when set (docs/screenshots refreshes
    the README's pictures), else a temporary folder of the module's own."""
    chosen = os.environ.get("EXCHANGE_SCREENSHOTS_DIR")
    path = (ROOT / chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path

# The browser ----------------------------------------------------------------------

@pytest.fixture(scope="package")
def browser(site):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # patient when the machine is busy; a real failure still fails
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


class Recorder:
    """What a page did that it should not: dialogs (script ran), page errors, console errors."""

    def __init__(self):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []

    def watch(self, page) -> None:
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}")
                if message.type in ("error", "warning") else None)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture(scope="package")
def signed_in_states(browser, site):
    """Each role's signed-in cookies, made once through the real sign-in form."""
    states = {}

    def state_for(email: str, password: str = PASSWORD, base_url: str | None = None) -> dict:
        key = (email, base_url or site.url)
        if key not in states:
            context = browser.new_context(base_url=base_url or site.url)
            page = context.new_page()
            sign_in(page, email, password)
            states[key] = context.storage_state()
            context.close()
        return states[key]

    return state_for


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"sign-in as {email} failed: {page.locator('main').inner_text()[:500]}"


@pytest.fixture
def contexts(browser, site, signed_in_states):
    """Opens browser contexts (as a visitor, or signed in as someone) and closes them after the test."""
    opened = []

    def open_context(email: str | None = None, viewport=DESKTOP, base_url: str | None = None, **options):
        base = base_url or site.url
        state = signed_in_states(email, base_url=base) if email else None
        context = browser.new_context(base_url=base, viewport=viewport, storage_state=state, **options)
        context.add_init_script(RECORDER)
        context.recorder = Recorder()
        context.on("page", context.recorder.watch)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(contexts):
    """A visitor's page."""
    return contexts().new_page()


def csp_violations(page) -> list:
    return page.evaluate("window.__cspViolations || []")


def xss_fired(page) -> bool:
    return page.evaluate("window.__xss !== undefined")


# Elements wider than the window make a phone reader scroll sideways (WCAG 1.4.10 Reflow).
OVERFLOW = """() => [...document.querySelectorAll('body *')]
  .filter(e => { const r = e.getBoundingClientRect();
                 return r.width > 0 && r.right > document.documentElement.clientWidth + 1
                        && !e.closest('pre, .table-scroll, table, .diff')
                        && getComputedStyle(e).position !== 'fixed'; })
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))
  .slice(0, 10)"""


PAGE_WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def sideways_overflow(page) -> list[str]:
    """Elements that stick out of the window (tables, code and diffs scroll inside their own box), and
    the document itself when it scrolls sideways (its scrollWidth wider than the viewport)."""
    found = page.evaluate(OVERFLOW)
    scroll_width, viewport = page.evaluate(PAGE_WIDTH)
    if scroll_width > viewport:
        found.append(f"the document scrolls sideways: {scroll_width}px in a {viewport}px window")
    return found
