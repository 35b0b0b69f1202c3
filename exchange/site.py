"""The front door and the health check."""
import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template
from flask_login import current_user

from exchange.articles.queries import my_drafts
from exchange.community.partials import following_feed
from exchange.curation.home import front_page
from exchange.db import db
from exchange.impact.services import home_summary
from exchange.pagecache import add_member_page
from exchange.search import index_ready

bp = Blueprint("site", __name__)
MEMBER_SECTION = 3  # practices per section under a member's own: what they follow leads, the page stays short


def init_app(app) -> None:
    """A member's home is theirs alone (their dashboard, drafts, what they follow): kept for them until the data
    changes, with the header and form token filled per request. Its view counts and unmet searches, which
    are not changes, may lag by PAGE_CACHE_SECONDS at most, as a practice's reach does."""
    add_member_page(app, "site.home", lambda user, _view_args: ("person", user.id))


@bp.get("/")
def home():
    if not current_user.is_authenticated:  # the visitor's page, as it was (and page-cached)
        return render_template("site/home.html", **front_page(), lead=None, my_drafts=[], dashboard=None)
    return render_template("site/home.html", **member_home())


def member_home() -> dict:
    """A member's home, in order: their dashboard, what is new in what they follow, then the site's picks.

    Each practice appears once on the page: a section leaves out what the sections above it show.
    """
    dashboard = home_summary(current_user)
    shown = {dashboard.adoptions[0].article.id} if dashboard.adoptions else set()  # the panel links it
    lead = following_feed(shown)
    return {"dashboard": dashboard, "my_drafts": my_drafts(current_user, limit=5), "lead": lead,
            **front_page(MEMBER_SECTION, shown=shown)}


@bp.get("/healthz")
def healthz():
    checks = {"database": _database_ok(), "search": _search_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if up else "down" for name, up in checks.items()}}
    return jsonify(body), 200 if healthy else 503


def _search_ok() -> bool:
    try:
        return index_ready()
    except Exception:  # noqa: BLE001 - whatever the backend's failure, the answer is "down", not a 500
        return False


def _database_ok() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False
