"""What community adds to other domains' pages (see ``exchange.templating.page_parts``): each a fixed,
small number of queries, run by the page's route.

- article page: ``comments`` (one query; none for drafts), ``following`` (one query for members) and
  ``ask_form``, the "Ask the team" form for verified members (no query);
- topic, agency and person pages: ``following`` (one query for members; none on your own page), and on a
  topic's page its number of ``followers`` (one query);
- your profile: ``followed``, what you follow, grouped by kind (one query);
- check your answers before publishing: ``announcement`` and ``announced_to`` (one query);
- every page, for the current person: ``unread_notifications``, the header's count.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g
from flask_login import current_user

from exchange.community import follows, notifications, questions, services
from exchange.community.forms import AskForm
from exchange.community.models import Comment, Follow
from exchange.pagecache import add_relation
from exchange.permissions import is_verified
from exchange.templating import add_page_part


@dataclass
class Conversation:
    entries: list
    count: int


def article_comments(article) -> Conversation:
    """The comments under an article, for the signed-in reader or a visitor: one query."""
    entries = services.list_comments(current_user, article)
    return Conversation(entries, services.count_shown(entries))


def unread_notification_count() -> int:
    """The current person's unread notifications, for the header: one query per request, none for visitors."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(current_user)
    return g.unread_notifications


def following_feed(shown: set[int] | None = None):
    """The home page's lead from what the reader follows, without the practices in ``shown`` (adding its own)."""
    return follows.following_feed(current_user, shown=shown) if current_user.is_authenticated else follows.Following()


def article_parts(article) -> dict:
    shown = article.status != "draft"  # a draft has no conversation and no follow button
    askable = article.status == "published" and is_verified(current_user) and current_user.id != article.author_id
    return {"comments": article_comments(article) if shown else None,
            "following": shown and follows.is_following(current_user, "article", article),
            "ask_form": AskForm(formdata=None) if askable else None, "ask_max_length": questions.MAX_LENGTH}


def publish_check_parts(article) -> dict:
    """What "check your answers" says followers will be told on first publication (none after that)."""
    if article.published_at is not None:
        return {"announcement": None, "announced_to": 0}
    message, count = notifications.announcement(article)
    return {"announcement": message, "announced_to": count}


def _following(kind: str):
    def part(target) -> dict:
        return {"following": follows.is_following(current_user, kind, target)}
    return part


def tag_parts(tag) -> dict:
    """A topic's page: whether you follow it, and how many people do (two queries)."""
    return {**_following("tag")(tag), "followers": follows.follower_count("tag", tag)}


def person_parts(person) -> dict:
    own_page = current_user.is_authenticated and current_user.id == person.id
    return {"following": not own_page and follows.is_following(current_user, "person", person)}


def profile_parts(person) -> dict:
    return {"followed": follows.follows_of(person), "follow_labels": follows.LABELS}


def init_app(app) -> None:
    add_page_part(app, "article", article_parts)
    add_page_part(app, "tag", tag_parts)
    add_page_part(app, "agency", _following("agency"))
    add_page_part(app, "person", person_parts)
    add_page_part(app, "profile", profile_parts)
    add_page_part(app, "publish_check", publish_check_parts)
    # A member's practice page shows them what they follow and their own comments (hidden or waiting ones
    # too): such a reader's page is their own, not kept for their audience (exchange.articles.audience).
    add_relation(app, "article", lambda user_id, article_id: sa.exists().where(
        Follow.user_id == user_id, Follow.article_id == article_id))
    add_relation(app, "article", lambda user_id, article_id: sa.exists().where(
        Comment.article_id == article_id, Comment.author_id == user_id))
    add_relation(app, "tag", lambda user_id, tag_id: sa.exists().where(Follow.user_id == user_id,
                                                                         Follow.tag_id == tag_id))

    @app.context_processor
    def current_person():
        """The current person's header count: not a page's data, so not passed by each route."""
        return {"unread_notifications": unread_notification_count() if current_user.is_authenticated else 0}
