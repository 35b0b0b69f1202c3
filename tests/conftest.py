"""Fixtures: an app on a fresh migrated database per test, a client, a runner and factories.

SQLite by default: the schema is migrated once into a template file and copied for each
test. With EXCHANGE_TEST_DATABASE_URL set, the suite runs on that PostgreSQL database:
migrated once, every table emptied between tests.
"""
import os
import shutil
import uuid

import pytest
import sqlalchemy as sa

from exchange import create_app
from exchange.db import database_url
from exchange.permissions import SYSTEM

PASSWORD = "correct horse battery staple"
POSTGRES_URL = os.environ.get("EXCHANGE_TEST_DATABASE_URL")


def _migrate(url: str, tmp) -> None:
    app = create_app(_config(url, tmp))
    with app.app_context():
        from exchange.migrate import upgrade

        upgrade()
    # Closing the connections checkpoints SQLite's WAL into the file we copy.
    app.extensions["exchange.db"].kw["bind"].dispose()


def _config(url: str, tmp) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SEARCH_BACKEND": "null",
        "SEARCH_INDEX": str(tmp / "search_index"),
        "ADMIN_MFA": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Real hashing, cheaper work factor: the suite makes thousands of accounts.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # The outbox is only sent when a test asks (tests/mail: a real SMTP server on loopback).
        "MAIL_SEND": "off",
        # Page views are written when a test flushes them (tests/impact), not by a background thread.
        "IMPACT_FLUSH_SECONDS": 0,
    }


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """The migrated database every test starts from."""
    tmp = tmp_path_factory.mktemp("template")
    if POSTGRES_URL:
        engine = sa.create_engine(database_url(POSTGRES_URL))
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(POSTGRES_URL, tmp)
        return POSTGRES_URL
    path = tmp / "template.db"
    _migrate(f"sqlite:///{path}", tmp)
    return path


def _empty_postgres(url: str) -> None:
    engine = sa.create_engine(database_url(url))
    with engine.begin() as connection:
        tables = connection.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename NOT IN ('alembic_version', 'data_version')"
        )).scalars().all()
        if tables:
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database(template_database, tmp_path):
    """A database URL for this test alone."""
    if POSTGRES_URL:
        _empty_postgres(POSTGRES_URL)
        return POSTGRES_URL
    path = tmp_path / "exchange.db"
    shutil.copy(template_database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def config(database, tmp_path):
    """The test app's settings; a test may change them before asking for ``app``."""
    return _config(database, tmp_path)


@pytest.fixture
def new_app(config):
    """Makes apps with changed settings on this test's database; closes them afterwards."""
    made = []

    def make_app(**overrides):
        made.append(create_app({**config, **overrides}))
        return made[-1]

    yield make_app
    for each in made:
        each.extensions["exchange.db"].kw["bind"].dispose()


@pytest.fixture
def app(new_app):
    return new_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Factory:
    """Makes agencies, people and tokens through the same services the site uses."""

    def __init__(self, app):
        self.app = app

    def agency(self, slug=None, domains=None, **fields):
        from exchange.accounts.services import add_agency

        slug = slug or f"agency-{uuid.uuid4().hex[:6]}"
        with self.app.app_context():
            agency = add_agency(
                SYSTEM, slug, fields.pop("name", slug.replace("-", " ").title()),
                fields.pop("acronym", ""), fields.pop("level", "national"), fields.pop("country", "GB"),
                domains if domains is not None else [f"{slug}.example.gov"],
            )
            return agency

    def user(self, email=None, agency=None, role="member", name="Alex Example", password=PASSWORD, verified=True):
        """A person; verified by default (as accounts an admin adds are), ``verified=False`` for one who is not."""
        from exchange.accounts.services import add_user, get_agency

        agency = agency or self.agency()
        with self.app.app_context():
            agency = get_agency(agency.slug)
            email = email or f"user-{uuid.uuid4().hex[:6]}@{agency.domain_names[0]}"
            user, _ = add_user(SYSTEM, email, name, agency.slug, role, password, verified=verified)
            return user

    def admin(self, **fields):
        return self.user(role="admin", **fields)

    def article(self, author=None, **fields):
        """A published case study by ``author`` (a new member by default)."""
        from exchange.accounts.services import get_user
        from exchange.articles.services import create_article

        author = author or self.user()
        fields = {"title": f"Practice {uuid.uuid4().hex[:6]}", "kind": "case_study", "summary": "What we tried.",
                  "body": "## Context\n\nSome text.", "status": "published", **fields}
        with self.app.app_context():
            return create_article(get_user(author.id), fields)

    def token(self, user) -> str:
        from exchange.accounts.services import create_token, get_user

        with self.app.app_context():
            _, secret = create_token(get_user(user.id), "test")
            return secret


@pytest.fixture
def make(app):
    return Factory(app)


class Auth:
    """Signs the test client in and out."""

    def __init__(self, client):
        self.client = client

    def login(self, user, password=PASSWORD, **extra):
        return self.client.post("/login", data={"email": user.email, "password": password, **extra})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def bearer(token: str) -> dict:
    """The header that authenticates an API request."""
    return {"Authorization": f"Bearer {token}"}


def pytest_collection_modifyitems(config, items):
    """The wheel test builds and installs the package (minutes): it runs only when asked for (-m wheel)."""
    if "wheel" in (config.getoption("-m") or "").replace("not wheel", ""):
        return
    skip = pytest.mark.skip(reason="builds and installs a wheel: select it with -m wheel (CI's wheel stage)")
    for item in items:
        if item.get_closest_marker("wheel"):
            item.add_marker(skip)
