"""Every setting in one place: what it is, what it accepts and its default.

Defaults, then ``EXCHANGE_*`` environment variables, then the caller's overrides. A value a
setting cannot accept stops the app with one line naming the setting and what it accepts.
"""
import json
import math
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from limits import parse_many
from limits.strategies import STRATEGIES

from exchange import ratelimit_storage

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "EXCHANGE_"


class ConfigError(ValueError):
    """A setting given a value it does not accept; the message is one line."""


# The kinds of value: each turns what was given (a string from the environment, or a Python value
# from the caller) into what the app reads, or raises ValueError or TypeError.


def _word(value) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value.strip().lower()


class Boolean:
    accepts = "a boolean (use true/false, yes/no, on/off or 1/0)"
    words = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}

    def __call__(self, value):
        if isinstance(value, bool):
            return value
        if _word(value) not in self.words:
            raise ValueError(value)
        return self.words[_word(value)]


class Integer:
    def __init__(self, minimum: int):
        self.minimum = minimum
        self.accepts = f"a whole number of {minimum} or more"

    def __call__(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError(value)
        number = int(value)
        if number < self.minimum:
            raise ValueError(value)
        return number


class Number:
    def __init__(self, minimum: float):
        self.minimum = minimum
        self.accepts = f"a number of {minimum} or more"

    def __call__(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(value)
        number = float(value)
        if not math.isfinite(number) or number < self.minimum:
            raise ValueError(value)
        return number


class Choice:
    def __init__(self, *values: str):
        self.values = {value.lower(): value for value in values}
        self.accepts = "one of " + ", ".join(repr(value) for value in values[:-1]) + f" or {values[-1]!r}"

    def __call__(self, value):
        if _word(value) not in self.values:
            raise ValueError(value)
        return self.values[_word(value)]


class Text:
    accepts = "text"

    def __call__(self, value):
        if not isinstance(value, str):
            raise TypeError(value)
        return value


class TextList:
    accepts = 'a list of strings (a JSON list like ["a", "b"], or a,b)'

    def __call__(self, value):
        if isinstance(value, str):
            value = json.loads(value) if value.strip().startswith("[") else [v for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
            raise TypeError(value)
        return [item.strip() for item in value]


class RateLimit:
    accepts = "a rate limit like '10 per minute' or '10/minute;50/hour'"

    def __call__(self, value):
        parse_many(value)  # limits' own parser: what it refuses, the limiter would refuse later
        return value


class URL:
    accepts = "a URL (scheme://...)"
    form = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

    def __call__(self, value):
        if not self.form.match(value):
            raise ValueError(value)
        return value


class RedisURL(URL):
    accepts = "a Redis URL (redis://, rediss:// or unix://...)"
    form = re.compile(r"^(rediss?|unix)://", re.IGNORECASE)


@dataclass(frozen=True)
class Setting:
    kind: object  # one of the kinds above
    default: object  # None: the setting may be left unset
    secret: bool = False  # its value is never repeated in an error (it may hold a password)

    def read(self, name: str, value):
        """``value`` as the app uses it; raises ConfigError naming ``name`` when it is not acceptable."""
        if self.default is None and (value is None or value == ""):
            return None
        try:
            return self.kind(value)
        except (ValueError, TypeError):
            given = "the value given" if self.secret else repr(value)
            raise ConfigError(f"{name}: {given} is not {self.kind.accepts}") from None


SETTINGS: dict[str, Setting] = {
    # Where things are kept
    "DATABASE_URL": Setting(URL(), None, secret=True),  # SQLAlchemy URL; unset: instance/exchange.db
    "SECRET_KEY": Setting(Text(), None, secret=True),  # signs sessions and CSRF tokens; unset: instance/secret_key
    "SEARCH_BACKEND": Setting(Choice("whoosh", "postgres", "null"), "whoosh"),  # null turns search off
    # The folder of the secret key, the default SQLite database and the demo admin's password; relative
    # paths are from the working directory. Read before the app's config exists (``instance_path``).
    "INSTANCE_PATH": Setting(Text(), "instance"),
    "SEARCH_INDEX": Setting(Text(), "search_index"),  # the folder of the Whoosh index (relative: to the working dir)
    # Synonyms and acronyms, one group a line.
    "SEARCH_SYNONYMS": Setting(Text(), str(Path(__file__).resolve().parent / "search" / "synonyms.txt")),
    # Search
    "SEARCH_TIME_LIMIT": Setting(Number(0), 0.5),  # seconds a search may take before partial results are shown
    "SEARCH_WRITE_TIMEOUT": Setting(Number(0), 5.0),  # seconds a change waits for the index before it is left for later
    "SEARCH_SWEEP_SECONDS": Setting(Number(0), 30.0),  # how often a search request looks for changes left waiting
    "SEARCH_REINDEX_PROCS": Setting(Integer(1), 2),  # processes a rebuild may use (Whoosh writes a segment in each)
    "SEARCH_REINDEX_LIMITMB": Setting(Integer(1), 512),  # memory each of them may use before it sorts on disk (slowly)
    # Pages
    "PAGE_CACHE_MB": Setting(Number(0), 64),  # per worker, for visitors' pages (exchange/pagecache.py); 0 turns it off
    "PAGE_CACHE_SECONDS": Setting(Number(0), 60),  # the longest a cached page is served, even with no change since
    # Reach (exchange/impact/counter.py): page views are tallied in memory (per worker) or in Redis (shared by
    # every worker and server) and written to the database in batches, never on the request path.
    "IMPACT_FLUSH_SECONDS": Setting(Number(0), 60.0),  # how often each worker writes its tally; 0: only the command
    "IMPACT_REDIS_URL": Setting(RedisURL(), None, secret=True),  # redis://host:6379/0 to share the tally; unset: memory
    "IMPACT_REDIS_PREFIX": Setting(Text(), "exchange:impact:"),  # keeps several sites' tallies apart in one Redis
    "MAX_CONTENT_LENGTH": Setting(Integer(0), 1024 * 1024),  # the largest request body, in bytes (uploads: below)
    "FEED_TAG_AUTHORITY": Setting(Text(), None),  # the domain in Atom ids (tag: URIs); unset: the request's host name
    "FEED_TAG_DATE": Setting(Text(), "2026"),  # the date in Atom ids; never change it once feeds are public
    # Uploads (exchange/files): images and documents, and Word documents to import
    "UPLOAD_MAX_MB": Setting(Integer(1), 10),  # the largest file that may be uploaded, in MB
    "UPLOAD_AGENCY_MB": Setting(Integer(1), 1024),  # what one agency's uploads may take in all, in MB
    "UPLOAD_DIR": Setting(Text(), None),  # a folder for the files' bytes; unset: in the database (shared by servers)
    # Host names: requests for any other answer 400, so no page or link is built from a forged Host header.
    "SERVER_NAME": Setting(Text(), None),  # the site's host name (and port), used in absolute links such as feeds'
    "TRUSTED_HOSTS": Setting(TextList(), ["localhost", "127.0.0.1"]),  # host names answered, with SERVER_NAME's
    "PROXY_FIX_X_FOR": Setting(Integer(0), 0),  # proxies to trust for X-Forwarded-For
    "PROXY_FIX_X_PROTO": Setting(Integer(0), 0),  # proxies to trust for X-Forwarded-Proto
    "PROXY_FIX_X_HOST": Setting(Integer(0), 0),  # proxies to trust for X-Forwarded-Host
    "PROXY_FIX_X_PREFIX": Setting(Integer(0), 0),  # proxies to trust for X-Forwarded-Prefix
    # Who may do what
    "PUBLIC_READ": Setting(Boolean(), True),  # visitors may read; off shows them only the sign-in page
    "ADMIN_MFA": Setting(Boolean(), True),  # admins sign in with a second factor
    "PASSWORD_HASH_METHOD": Setting(Text(), "scrypt"),  # Werkzeug's password hashing method
    "SESSION_IDLE_MINUTES": Setting(Integer(1), 30),  # a session left this long signs out
    "SESSION_MAX_HOURS": Setting(Integer(1), 12),  # a session this old signs out, however busy
    "RECENT_AUTH_MINUTES": Setting(Integer(0), 15),  # password changes and admin actions ask again after this
    "REMEMBER_IDLE_DAYS": Setting(Integer(1), 7),  # a "keep me signed in" device unused this long signs out
    "TOKEN_DAYS": Setting(Integer(1), 90),  # days a new API token lasts
    # Sign-in with an agency's own account (OpenID Connect; exchange/accounts/sso.py)
    "SSO_TIMEOUT": Setting(Number(1), 10),  # seconds to wait for an agency's provider
    "SSO_CA_FILE": Setting(Text(), None),  # certificates to trust for providers (PEM); unset: the system's
    # Cookies
    "SESSION_COOKIE_SECURE": Setting(Boolean(), False),  # cookies only over HTTPS
    "SESSION_COOKIE_HTTPONLY": Setting(Boolean(), True),  # scripts may not read the session cookie
    "SESSION_COOKIE_SAMESITE": Setting(Choice("Lax", "Strict", "None"), "Lax"),  # when browsers send it cross-site
    "REMEMBER_COOKIE_SECURE": Setting(Boolean(), None),  # unset: follows SESSION_COOKIE_SECURE
    "REMEMBER_COOKIE_HTTPONLY": Setting(Boolean(), True),  # scripts may not read the "keep me signed in" cookie
    "REMEMBER_COOKIE_SAMESITE": Setting(Choice("Lax", "Strict", "None"), "Lax"),  # when browsers send it cross-site
    "REMEMBER_COOKIE_DURATION": Setting(Integer(0), 14 * 24 * 3600),  # seconds "keep me signed in" lasts
    "WTF_CSRF_ENABLED": Setting(Boolean(), True),  # forms need a CSRF token (tests turn it off)
    "WTF_CSRF_TIME_LIMIT": Setting(Integer(1), None),  # seconds a CSRF token lasts; unset: as long as the session
    # Rate limits
    # Set per app: the shared limiter would otherwise carry one app's choice to the next.
    "RATELIMIT_ENABLED": Setting(Boolean(), True),
    # The counters; unset: a SQLite file in instance/ that every worker of this server shares
    # (exchange/ratelimit_storage.py); redis://... for several servers; memory:// counts per worker.
    "RATELIMIT_STORAGE_URI": Setting(URL(), None, secret=True),
    "RATELIMIT_KEY_PREFIX": Setting(Text(), ""),  # keeps several sites' counters apart in one store
    "RATELIMIT_HEADERS_ENABLED": Setting(Boolean(), True),  # responses say how much of a limit is left
    # A moving window: a fixed one lets twice the limit through across a minute's edge.
    "RATELIMIT_STRATEGY": Setting(Choice(*STRATEGIES), "moving-window"),
    "LOGIN_RATE_LIMIT": Setting(RateLimit(), "10 per minute;50 per hour"),  # failed sign-ins per address
    "REGISTER_RATE_LIMIT": Setting(RateLimit(), "20 per hour"),  # registrations per IP address
    "REGISTER_ADDRESS_RATE_LIMIT": Setting(RateLimit(), "5 per hour"),  # registrations per email address
    "SIGN_IN_FREE_FAILURES": Setting(Integer(1), 5),  # failed passwords per account before each next one waits
    "SIGN_IN_FIRST_PAUSE": Setting(Integer(1), 30),  # seconds of the first wait; each further failure doubles it
    "ENDORSE_RATE_LIMIT": Setting(RateLimit(), "30 per minute"),  # endorsement changes per person
    "COMMENT_RATE_LIMIT": Setting(RateLimit(), "5 per minute"),  # new comments per person, pages and API together
    # Comments
    "FEEDBACK_RATE_LIMIT": Setting(RateLimit(), "20 per hour"),  # "Is this page useful?" answers per IP address
    "ASK_RATE_LIMIT": Setting(RateLimit(), "5 per hour"),  # questions sent to practices' teams per person
    "PDF_RATE_LIMIT": Setting(RateLimit(), "20 per minute"),  # article PDFs per IP address (each takes a second)
    "COMMENT_LINK_BLOCKLIST": Setting(TextList(), ["bit.ly", "tinyurl.com"]),  # domains comments may not link to
    "COMMENT_NEW_ACCOUNT_DAYS": Setting(Integer(0), 7),  # links from younger accounts wait for moderation
    # Mail (exchange/mail): smtp://user:pass@host:port, smtps://..., ?starttls=true; unset: written to the log
    "MAIL_URL": Setting(URL(), None, secret=True),
    "MAIL_FROM": Setting(Text(), "The Exchange <exchange@localhost>"),  # the From of every email
    # When the outbox is sent: a worker thread woken by each commit (and every MAIL_WORKER_SECONDS), in the
    # request right after its commit (inline), or only by `exchange mail send` from cron (off).
    "MAIL_SEND": Setting(Choice("thread", "inline", "off"), "thread"),
    "MAIL_WORKER_SECONDS": Setting(Number(1), 60.0),  # how often the worker thread looks for mail due again
    "MAIL_RETRY_SECONDS": Setting(Number(0), 30.0),  # the first wait after a failed send; each next one doubles
    "MAIL_MAX_ATTEMPTS": Setting(Integer(1), 12),  # sends tried before a message is given up (status shows it)
    "MAIL_TIMEOUT": Setting(Number(0.1), 10.0),  # seconds an SMTP server may take to answer
    "VERIFY_HOURS": Setting(Integer(1), 24),  # hours an address-verification link works
    "RESET_MINUTES": Setting(Integer(1), 60),  # minutes a password-reset link works
    "INVITE_DAYS": Setting(Integer(1), 14),  # days an invitation link works
    "VERIFY_RESEND_RATE_LIMIT": Setting(RateLimit(), "3 per hour"),  # verification emails asked per account
    "RESET_RATE_LIMIT": Setting(RateLimit(), "5 per hour;20 per day"),  # reset emails per address, and per account
}


def load(app, overrides=None):
    """Fill ``app.config`` from defaults, the environment and ``overrides``; raises ConfigError."""
    app.config.update({name: setting.default for name, setting in SETTINGS.items()})
    app.config.from_prefixed_env(PREFIX.rstrip("_"))  # settings not declared above, read as Flask reads them
    app.config.update(from_environment(os.environ))
    app.config.update(checked(overrides or {}))
    app.config["INSTANCE_PATH"] = app.instance_path
    app.config["SEARCH_INDEX"] = str(Path(app.config["SEARCH_INDEX"]).absolute())
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'exchange.db'}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    if not app.config["RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = ratelimit_storage.uri_for(instance / "ratelimits.db")
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config["TRUSTED_HOSTS"], app.config["SERVER_NAME"])
    if app.config["REMEMBER_COOKIE_SECURE"] is None:
        app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]


def trusted_hosts(hosts: list[str], server_name: str | None) -> list[str]:
    """The host names to answer: those listed, and the server's own name (a leading dot allows subdomains)."""
    names = [host.strip().lower() for host in hosts if host.strip()]
    if server_name:
        names.append(server_name.rsplit(":", 1)[0].lower())
    return list(dict.fromkeys(names))


def instance_path(overrides=None) -> str:
    """The instance folder as an absolute path: from ``overrides``, else EXCHANGE_INSTANCE_PATH, else ./instance."""
    name = "INSTANCE_PATH"
    given = (overrides or {}).get(name) or os.environ.get(PREFIX + name) or SETTINGS[name].default
    return str(Path(SETTINGS[name].read(name, given)).absolute())


def from_environment(environ) -> dict:
    """The declared settings given as ``EXCHANGE_*`` variables, each read by its kind."""
    return {name: setting.read(PREFIX + name, environ[PREFIX + name])
            for name, setting in SETTINGS.items() if PREFIX + name in environ}


def checked(overrides: dict) -> dict:
    """``overrides`` with each declared setting read by its kind (strings as from the environment)."""
    return {name: SETTINGS[name].read(name, value) if name in SETTINGS else value for name, value in overrides.items()}


def _instance_secret(path: Path) -> str:
    """Read the secret key kept in the instance folder, making it on first use."""
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
