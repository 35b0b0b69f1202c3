"""Defaults, then ``EXCHANGE_*`` environment variables, then the caller's overrides."""
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    DATABASE_URL = None  # filled in from the instance folder
    SEARCH_BACKEND = "whoosh"  # whoosh | postgres | null
    SEARCH_INDEX = str(ROOT / "search_index")
    SEARCH_SYNONYMS = str(Path(__file__).resolve().parent / "search" / "synonyms.txt")
    PUBLIC_READ = True
    ADMIN_MFA = True
    RATELIMIT_ENABLED = True  # set per app: the shared limiter would otherwise carry one app's choice to the next
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # A moving window: a fixed one lets twice the limit through across a minute's edge.
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    MAX_CONTENT_LENGTH = 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    PASSWORD_HASH_METHOD = "scrypt"
    SESSION_IDLE_MINUTES = 30
    SESSION_MAX_HOURS = 12
    RECENT_AUTH_MINUTES = 15
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    PER_PAGE = 20
    PAGE_CACHE_MB = 64  # per worker, for visitors' pages (exchange/pagecache.py); 0 turns the cache off
    PAGE_CACHE_SECONDS = 60  # the longest a cached page is served, even with no change to the data
    COMMENT_LINK_BLOCKLIST = ["bit.ly", "tinyurl.com"]
    COMMENT_RATE_LIMIT = "5 per minute"  # new comments per person, pages and API together
    COMMENT_NEW_ACCOUNT_DAYS = 7  # links from younger accounts wait for moderation (community/rules.py)
    FEED_TAG_AUTHORITY = None  # the domain in Atom ids (tag: URIs); default the request's host name
    FEED_TAG_DATE = "2026"  # the date in Atom ids; never change it once feeds are public


def load(app, overrides=None):
    """Fill ``app.config`` from defaults, the environment and ``overrides``."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("EXCHANGE")
    if overrides:
        app.config.update(overrides)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'exchange.db'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    # Secure cookies follow the session setting unless told otherwise.
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])


def _instance_secret(path: Path) -> str:
    """Read the secret key kept in the instance folder, making it on first use."""
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
