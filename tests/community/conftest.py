"""Community fixtures: comments through the services, and accounts of a given age."""
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from tests.conftest import bearer

GOOD_COMMENT = "We tried this in Leeds and cut calls by 20% in six months."


class Community:
    """Makes comments and ages accounts, through the same services the site uses."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def comment(self, user, article, body=GOOD_COMMENT, parent=None):
        from exchange.accounts.services import get_user
        from exchange.articles.services import get_article
        from exchange.community.services import add_comment

        with self.app.app_context():
            return add_comment(get_user(user.id), get_article(None, article.slug), body,
                               parent.id if parent is not None else None)

    def age(self, user, days=30):
        """Make an account ``days`` old."""
        from exchange.accounts.models import User
        from exchange.db import db, utcnow

        with self.app.app_context():
            db.session.get(User, user.id).created_at = utcnow() - timedelta(days=days)
            db.session.commit()

    def established(self, user, article):
        """An account the community knows: old enough, with a published comment."""
        self.age(user)
        self.comment(user, article, "Our team in Bristol ran the same pilot for a year.")
        return user

    def post(self, token, article, body, **extra):
        return self.client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": body, **extra},
                                headers=bearer(token))

    def audit_actions(self):
        import sqlalchemy as sa

        from exchange.audit import AuditEntry
        from exchange.db import db

        with self.app.app_context():
            return [(e.action, e.target_type, e.target, e.actor_id) for e in
                    db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]

    def notifications(self, user):
        import sqlalchemy as sa

        from exchange.community.models import Notification
        from exchange.db import db

        with self.app.app_context():
            return [(n.kind, n.article_id, n.actor_id) for n in db.session.scalars(
                sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


@pytest.fixture
def community(app, client):
    return Community(app, client)


class Markup(HTMLParser):
    """Every element and attribute of a page, to check that nothing active came out of user text."""

    def __init__(self, page: str):
        super().__init__()
        self.tags, self.attributes = [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def active_content(page: str) -> list:
    """Script, frames, styles, event handlers and script URLs anywhere in the page."""
    markup = Markup(page)
    found = [t for t in markup.tags if t in ("script", "iframe", "object", "embed", "style", "svg", "math")]
    for tag, name, value in markup.attributes:
        squashed = "".join(value.split()).lower()
        if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
            found.append((tag, name, value))
        if name in ("href", "src", "action") and squashed.startswith(("javascript:", "data:", "vbscript:")):
            found.append((tag, name, value))
    return found
