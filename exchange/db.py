"""The engine, one session per application context, and the declarative Base."""
import time
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import DeclarativeBase, Session, make_transient_to_detached, sessionmaker

MAX_INT = 2**31 - 1  # the largest id or number an INTEGER column holds, on PostgreSQL as on SQLite

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> sa.Engine:
    """An engine; SQLite gets WAL, foreign keys and a busy timeout."""
    url = database_url(url)
    if not url.startswith("sqlite"):
        engine = sa.create_engine(url)
        _ping_when_idle(engine)
        return engine
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below decide
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _sqlite_begin(conn):
        # IMMEDIATE takes the write lock up front, so two writers queue instead
        # of failing with "database is locked" when one upgrades its read lock.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing() else "BEGIN")

    return engine


PING_AFTER = 10.0  # seconds a pooled connection may sit unused before it is checked on its way out


def _ping_when_idle(engine: sa.Engine) -> None:
    """A pooled connection unused for PING_AFTER seconds is checked before use, and replaced if the server
    has gone away (a restart, a failover, an idle timeout in between). SQLAlchemy's ``pool_pre_ping`` checks
    every time: a round trip on every request, a fifth of a kept page's time on PostgreSQL. A connection in
    steady use has just answered."""

    @sa.event.listens_for(engine, "connect")
    def _new(_dbapi_connection, record):
        record.info["returned_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _check(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get("returned_at", 0) < PING_AFTER:
            return
        try:
            read_alone(dbapi_connection, "SELECT 1")
        except Exception as error:  # any failure: the pool drops this connection and tries a fresh one
            raise sa.exc.DisconnectionError(f"a pooled connection failed its check: {error}") from error


def read_alone(dbapi_connection, statement: str):
    """The first row of one read on a DBAPI connection, outside any transaction: psycopg would open one (a round
    trip for BEGIN, and one for the pool's ROLLBACK). SQLite's connections already run each statement alone."""
    autocommit = getattr(dbapi_connection, "autocommit", None)  # psycopg's; not sqlite3's (or not a bool)
    if autocommit is False:
        dbapi_connection.autocommit = True
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(statement)
            return cursor.fetchone()
        finally:
            cursor.close()
    finally:
        if autocommit is False:
            dbapi_connection.autocommit = False


def _writing() -> bool:
    """Whether this unit of work may write: any request but a safe one, and all CLI work."""
    if has_request_context():
        return request.method not in ("GET", "HEAD", "OPTIONS") or g.get("db_write", False)
    return True


class Database:
    """Holds the engine and hands out one session per application context."""

    def init_app(self, app):
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["exchange.db"] = sessionmaker(engine, expire_on_commit=False)
        app.teardown_appcontext(self._remove_session)

    @property
    def engine(self) -> sa.Engine:
        return current_app.extensions["exchange.db"].kw["bind"]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = current_app.extensions["exchange.db"]()
        return g.db_session

    @staticmethod
    def _remove_session(exc):
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()


db = Database()


def column_values(row) -> dict:
    """A row's columns as plain values (to keep beyond its session)."""
    return {column.key: getattr(row, column.key) for column in sa.inspect(type(row)).column_attrs}


def detached(model, values: dict):
    """A row of ``model`` made from ``column_values``, as if loaded and its session closed: a session it is added
    to takes it as stored, with no statement (and no change to write)."""
    row = model(**values)
    make_transient_to_detached(row)
    return row
