"""What the community partials in other pages call: each a fixed, small number of queries."""
from dataclasses import dataclass

from flask import g
from flask_login import current_user

from exchange.community import follows, notifications, services


@dataclass
class Conversation:
    entries: list
    count: int


def article_comments(article) -> Conversation:
    """The comments under an article, for the signed-in reader or a visitor: one query."""
    entries = services.list_comments(current_user, article)
    return Conversation(entries, services.count_shown(entries))


def unread_notification_count() -> int:
    """The header's count: one query per request, and none for visitors."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(current_user)
    return g.unread_notifications


def is_following(kind: str, target) -> bool:
    """Whether the reader follows this tag, agency, article or person: one query."""
    return follows.is_following(current_user, kind, target)


def my_follows() -> dict:
    """What the reader follows, grouped by kind: one query."""
    return follows.follows_of(current_user) if current_user.is_authenticated else {}


def following_feed():
    """The home page's lead from what the reader follows."""
    return follows.following_feed(current_user) if current_user.is_authenticated else follows.Following()


def init_app(app) -> None:
    app.jinja_env.globals.update(
        article_comments=article_comments,
        unread_notification_count=unread_notification_count,
        is_following=is_following,
        my_follows=my_follows,
        following_feed=following_feed,
        follow_labels=follows.LABELS,
    )
