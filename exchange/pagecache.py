"""Visitors' pages, kept ready: each worker keeps what it rendered for visitors, by data version.

The data version is one row that every transaction changing what visitors can see increments
as its last statement before COMMIT. An engine event does it, so no write path (a service, the
CLI, a raw connection) can forget. The version and the data change in one transaction, so a
page cached at version N is never served once the change that made N + 1 is visible, on this
server or any other. A cached page is also dropped after PAGE_CACHE_SECONDS, because some pages
depend on the clock as well as the data (review-by dates, featured periods, "trending").

Only anonymous GET and HEAD requests with an empty session are served from or stored in the cache
(a flash message or a sign-in in progress render differently), and only for the read-only pages
in CACHEABLE. The response then goes through the usual hooks: security headers, a fresh request
id, ETag and 304.

Members' pages are kept too, for the pages a domain names with ``add_member_page``, by audience: what
about the reader the page depends on (say, their agency and whether they are an admin), worked out by
the page's own function before anything renders, or None to render for this reader alone. The kept
page leaves two places empty, the reader's part of the header and their form token, and each request
fills them for its reader (``_personal``), kept page or not, so both paths are always the same code.
"""
import re
import secrets
import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, current_app, g, has_request_context, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.http import generate_etag

from exchange.db import Base, db, read_alone
from exchange.lru import SizedLRU

CACHEABLE = frozenset({
    "site.home", "articles.show", "articles.history", "articles.case_studies", "articles.playbooks",
    "articles.tags", "articles.tag", "articles.agencies", "articles.agency", "accounts.person", "pages.show",
})
# Tables no visitor page shows: writing them leaves the version alone.
UNSEEN_TABLES = frozenset({"search_log", "search_pending", "search_documents", "search_words", "search_versions",
                           "notifications", "mail_outbox", "mail_preferences", "mail_digest_marks",
                           "account_tokens", "invitations", "page_feedback", "team_questions",
                           "audit_log", "api_tokens", "data_version", "article_views"})
# Statements that change nothing a visitor sees (ANALYZE: the planner's statistics).
READS = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SHOW", "SET", "EXPLAIN",
         "ANALYZE")
_TARGET = re.compile(r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
# The second row counts changes to notifications, which no visitor sees but each member's header counts.
NOTICES, NOTICES_BUMP = "notifications", "UPDATE data_version SET version = version + 1 WHERE id = 2"
_CHANGED, _NOTICED = "exchange.data_changed", "exchange.notices_changed"
UNTRACKED = "exchange.untracked"  # set on a connection (the migrations') whose writes move no version
MAX_KEY = 1024


class DataVersion(Base):
    """One row (id 1): a number that grows with every committed change a visitor could see."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def changes_visible_data(statement: str) -> bool:
    """Whether a SQL statement may change what a visitor sees (anything but reads and unseen tables)."""
    head = statement.lstrip()[:10].upper()
    if head.startswith(READS):
        return False
    target = _TARGET.match(statement)
    return not (target and target.group(1).lower() in UNSEEN_TABLES)


def changes_notices(statement: str) -> bool:
    """Whether a SQL statement writes notifications (whose count each member's header shows)."""
    target = _TARGET.match(statement)
    return bool(target) and target.group(1).lower() == NOTICES


def track_changes(engine: sa.Engine) -> None:
    """Bump the data version in every transaction on ``engine`` that changed visible data, and the notices
    version in every one that wrote notifications."""

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _note(conn, _cursor, statement, _parameters, _context, _executemany):
        if UNTRACKED in conn.info:
            return
        if _CHANGED not in conn.info and changes_visible_data(statement):
            conn.info[_CHANGED] = True
        elif _NOTICED not in conn.info and changes_notices(statement):
            conn.info[_NOTICED] = True

    @sa.event.listens_for(engine, "commit")
    def _bump(conn):
        # Last statements before COMMIT: the row locks are held only while committing, so they
        # cannot take part in a deadlock. Run on the DBAPI cursor, not through the events.
        bumps = [bump for flag, bump in ((_CHANGED, BUMP), (_NOTICED, NOTICES_BUMP)) if conn.info.pop(flag, False)]
        if bumps:
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                for bump in bumps:
                    cursor.execute(bump)
            finally:
                cursor.close()

    @sa.event.listens_for(engine, "rollback")
    def _forget(conn):
        conn.info.pop(_CHANGED, None)
        conn.info.pop(_NOTICED, None)


def current_version(session) -> int | None:
    """The data version (None before the row exists: then nothing is cached)."""
    return session.execute(sa.select(DataVersion.version).where(DataVersion.id == 1)).scalar()


VERSIONS = "SELECT version, (SELECT version FROM data_version WHERE id = 2) FROM data_version WHERE id = 1"
# Called with each statement read outside the engine's events (``request_version``), so that tests which count a
# request's statements see it too.
RAW_READ_OBSERVERS: list = []


def request_version() -> int | None:
    """The data version as this request first read it (one statement a request, however many fragments), and
    the notices version with it (``g.notices_version``).

    Before the request has opened a session (a kept page never does before this), it is read on a pooled
    DBAPI connection directly: the profile of a kept page put the session's opening and closing at a third
    of the request, and an engine connection's own work (begin, events, rollback) at 7 times the read."""
    if "data_version" not in g:
        if "db_session" in g:
            row = db.session.execute(sa.text(VERSIONS)).first()
        else:
            row = _read_raw(VERSIONS)
        g.data_version, g.notices_version = row if row else (None, None)
    return g.data_version


def _read_raw(statement: str):
    """The first row of a read, on a pooled DBAPI connection (returned to the pool, which ends any transaction)."""
    for observe in RAW_READ_OBSERVERS:
        observe(statement)
    engine = db.engine
    try:
        return _read_pooled(engine, statement)
    except engine.dialect.loaded_dbapi.Error as error:  # as SQLAlchemy's own would be (a 503 when the database is down)
        raise sa.exc.DBAPIError.instance(statement, None, error, engine.dialect.loaded_dbapi.Error) from error


def _read_pooled(engine: sa.Engine, statement: str):
    connection = engine.raw_connection()
    try:
        return read_alone(connection.dbapi_connection, statement)
    finally:
        connection.close()


class Fragments:
    """Values that are the same for every reader, by (name, key, data version), within an entry budget and
    PAGE_CACHE_SECONDS of age; shared by a worker's threads. Only plain values (ids, strings, tuples):
    never rows of a session, which belong to the request that loaded them."""

    def __init__(self, entries: int, seconds: float):
        self.seconds = seconds
        self.values = SizedLRU(entries)
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            kept = self.values.get(key)
        if kept is None or time.monotonic() - kept[0] > self.seconds:
            return None
        return kept[1]

    def put(self, key, value) -> None:
        with self.lock:
            self.values.put(key, (time.monotonic(), value), 1)


FRAGMENT_ENTRIES = 20000
FRAGMENTS, SEARCHES, SEARCH_PAGES = "exchange.fragments", "exchange.searches", "exchange.search_pages"
# Searches are kept apart, fewer and larger (a page of hits with snippets, some kilobytes), and their keys are
# what anyone types: a flood of distinct queries pushes out other searches, never the pages' fragments. The
# search pages' HTML (tens of kilobytes each) fewer still.
SEARCH_ENTRIES, SEARCH_PAGE_ENTRIES = 2000, 500


def versioned(name: str, key, compute, store: str = FRAGMENTS, keep=None, notices: bool = False):
    """``compute()``, kept in this worker until the data changes: a member's page reuses what another
    reader's request worked out (a practice's place in the ranking, its related practices). Computed
    each time when pages are not cached (PAGE_CACHE_MB=0), outside a request, or when the request may
    change data. ``keep(value)`` may refuse to keep a value (a search cut short by its time limit).
    ``notices``: the value depends on notifications too, and is kept until they change as well."""
    fragments = current_app.extensions.get(store)
    if fragments is None or not has_request_context() or request.method not in ("GET", "HEAD"):
        return compute()
    version = request_version()
    if version is None or (notices and g.notices_version is None):
        return compute()
    full_key = (name, key, version, g.notices_version) if notices else (name, key, version)
    value = fragments.get(full_key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            fragments.put(full_key, value)
    return value


# Templates rendered by ``shared_section``: a test holds them to reading nothing of the reader.
SHARED_SECTIONS: set[str] = set()


def shared_section(template: str, subject, compute) -> Markup:
    """A section of ``subject``'s page that is the same for every reader who may see the page (no person,
    no form, no CSRF token): ``template`` rendered with ``compute()`` (its values), once per data version
    in a worker while ``subject`` is published (``versioned``), and each time otherwise (a draft is seen
    by few). A member's page reuses what another reader's request rendered."""
    SHARED_SECTIONS.add(template)

    def render() -> str:
        return render_template(template, **compute())
    if getattr(subject, "status", None) != "published":
        return Markup(render())
    return Markup(versioned("section " + template, subject.id, render))


@dataclass
class Page:
    version: int
    stored_at: float
    body: bytes
    content_type: str
    flags: tuple = ()  # request flags (``REPLAYED``) the page's rendering set, set again when it is served
    etag: str = ""  # a visitor's page's, worked out once when it is kept


# Members' pages -----------------------------------------------------------------------------------------------
MEMBER_PAGES = "exchange.member_pages"  # endpoint -> audience(user, view_args)
RELATIONS = "exchange.relations"  # kind of subject -> [clause(user_id, subject_id)]
# Where a kept member's page had the reader's form token, and their part of the header. Random for each
# worker (which alone reads what it kept), so no text a member writes can ever stand for them.
CSRF_SLOT = f"exchange-form-token-{secrets.token_hex(12)}"
NAV_SLOT = f"<!--exchange-account-nav-{secrets.token_hex(12)}-->"
# Flags on ``g`` that a page's rendering may set and the request's end reads (impact: an own agency's view
# is not counted): a kept page records them and sets them again when it is served.
REPLAYED: set[str] = set()


def add_member_page(app, endpoint: str, audience) -> None:
    """Keep members' renderings of ``endpoint`` by ``audience(user, view_args)``: a hashable value holding
    everything about the reader the page shows differently (beyond the header and the form token), or
    None to render the page for this reader alone. Reading nothing more of the reader is the page's part."""
    app.extensions.setdefault(MEMBER_PAGES, {})[endpoint] = audience


def add_relation(app, kind: str, clause) -> None:
    """A way a person can be tied to a subject of ``kind`` (say "article") that its page shows to them
    alone: ``clause(user_id, subject_id)``, an SQL EXISTS clause (they endorsed it, follow it, commented) of
    the two, which are bound parameters."""
    app.extensions.setdefault(RELATIONS, {}).setdefault(kind, []).append(clause)


def related(kind: str, user_id: int, subject_id: int) -> bool:
    """Whether the person has any tie to the subject that domains named with ``add_relation``: one statement,
    built once per kind (on every member's request, building it took as long as running it), its answer kept in
    the worker while the data version holds (every tie is visible data)."""
    statements = current_app.extensions.setdefault(RELATIONS + " statements", {})
    if kind not in statements:
        who, what = sa.bindparam("user_id"), sa.bindparam("subject_id")
        clauses = [clause(who, what) for clause in current_app.extensions.get(RELATIONS, {}).get(kind, ())]
        statements[kind] = sa.select(sa.or_(*clauses)) if clauses else None
    statement = statements[kind]
    if statement is None:
        return False
    return versioned("related " + kind, (user_id, subject_id), lambda: bool(db.session.scalar(
        statement, {"user_id": user_id, "subject_id": subject_id})))


def _member_key() -> str | None:
    """The key of a member's page kept for their audience, or None when it is rendered for them alone."""
    audience_of = current_app.extensions.get(MEMBER_PAGES, {}).get(request.endpoint)
    if audience_of is None or request.method not in ("GET", "HEAD") or not current_user.is_authenticated \
            or "_flashes" in session:
        return None
    audience = audience_of(current_user, request.view_args or {})
    if audience is None:
        return None
    key = f"{request.host}{request.full_path}\x00member {audience!r}"
    return key if len(key) <= MAX_KEY else None


def _serve_member(cache: "PageCache"):
    key = _member_key()
    version = request_version() if key is not None else None
    if version is None:
        return None
    page = cache.get(key, version)
    if page is None:  # render it, leaving the reader's places empty, and keep it (``_keep``)
        g.member_page = (key, version)
        setattr(g, _token_field(), CSRF_SLOT)
        return None
    g.member_page = None
    for flag in page.flags:
        g.setdefault(flag, True)
    return Response(_personal(page.body), status=200, content_type=page.content_type)


def _token_field() -> str:
    """Where Flask-WTF keeps this request's form token on ``g`` (the form field's name)."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _personal(body: bytes) -> bytes:
    """A kept member's page with this reader's header and form token in their places. The header itself is
    kept for each reader, with the token's place empty, until their data or notifications change."""
    field = _token_field()
    if getattr(g, field, None) == CSRF_SLOT:
        delattr(g, field)
    token = generate_csrf()

    def render_nav() -> str:
        setattr(g, field, CSRF_SLOT)
        try:
            return render_template("accounts/_nav.html")
        finally:
            setattr(g, field, token)
    # What the header shows: the reader, their count, the links (host, root) and which of them is this page.
    nav = versioned("account nav", (request.host, request.script_root, request.endpoint, current_user.id),
                    render_nav, notices=True)
    return body.replace(NAV_SLOT.encode(), nav.encode(), 1).replace(CSRF_SLOT.encode(), token.encode())


class PageCache:
    """Pages by host name, request path and query, within a byte budget; shared by a worker's threads."""

    def __init__(self, max_bytes: int, seconds: float):
        self.seconds = seconds
        self.pages = SizedLRU(max_bytes)
        self.lock = threading.Lock()

    @property
    def size(self) -> int:
        return self.pages.size

    def get(self, key: str, version: int) -> Page | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None and (page.version != version or time.monotonic() - page.stored_at > self.seconds):
                self.pages.pop(key)
                return None
            return page

    def put(self, key: str, page: Page) -> None:
        if len(page.body) > self.pages.budget // 8:
            return
        with self.lock:
            self.pages.put(key, page, len(page.body))


def init_app(app) -> None:
    """Move the data version with every change; serve visitors' pages from the cache and keep them.

    Called after the access hooks, so a cached page is never served to someone they would stop.
    The version moves even with the cache off here: another server may be caching.
    """
    track_changes(app.extensions["exchange.db"].kw["bind"])
    megabytes = float(app.config["PAGE_CACHE_MB"])
    seconds = float(app.config["PAGE_CACHE_SECONDS"])
    if megabytes <= 0 or seconds <= 0:
        return
    app.extensions["exchange.pagecache"] = PageCache(int(megabytes * 1024 * 1024), seconds)
    app.extensions[FRAGMENTS] = Fragments(FRAGMENT_ENTRIES, seconds)
    app.extensions[SEARCHES] = Fragments(SEARCH_ENTRIES, seconds)
    app.extensions[SEARCH_PAGES] = Fragments(SEARCH_PAGE_ENTRIES, seconds)
    app.before_request(_serve_cached)
    app.after_request(_keep)

    @app.context_processor
    def member_slots():
        return {"account_nav_slot": Markup(NAV_SLOT) if g.get("member_page") else None}


def _key() -> str | None:
    """The cache key of this request, or None when it must be rendered for this person."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in CACHEABLE:
        return None
    if session or current_user.is_authenticated:
        return None
    key = request.host + request.full_path  # one site may answer to several trusted names
    return key if len(key) <= MAX_KEY else None


def _serve_cached():
    key = _key()
    if key is None:
        return _serve_member(current_app.extensions["exchange.pagecache"])
    version = request_version()
    if version is None:
        return None
    g.page_cache = (key, version)
    page = current_app.extensions["exchange.pagecache"].get(key, version)
    if page is None:
        return None
    g.page_cache = None
    response = Response(page.body, status=200, content_type=page.content_type)
    response.set_etag(page.etag)
    return response


def _keep(response):
    if g.get("member_page"):
        return _keep_member(response)
    kept = g.pop("page_cache", None)
    if not kept or response.status_code != 200 or response.is_streamed or session.modified \
            or "Set-Cookie" in response.headers or response.mimetype != "text/html":
        return response
    key, version = kept
    body = response.get_data()
    current_app.extensions["exchange.pagecache"].put(
        key, Page(version, time.monotonic(), body, response.content_type, etag=generate_etag(body)))
    return response


def _keep_member(response):
    """Keep a member's page as rendered (its reader's places empty), then fill them for this reader. Whatever
    the answer (an error page, a redirect), the places are filled: no slot ever reaches a browser."""
    key, version = g.pop("member_page")
    if response.is_streamed or response.mimetype != "text/html":
        return response
    body = response.get_data()
    if response.status_code == 200:
        flags = tuple(flag for flag in sorted(REPLAYED) if g.get(flag))
        current_app.extensions["exchange.pagecache"].put(
            key, Page(version, time.monotonic(), body, response.content_type, flags))
    response.set_data(_personal(body))
    return response
