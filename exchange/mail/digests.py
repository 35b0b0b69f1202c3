"""Notifications as emails: one at once, or a daily or weekly digest, only of what the reader may see."""
from datetime import timedelta
from urllib.parse import urljoin

import sqlalchemy as sa
from flask import request

from exchange.accounts.models import User
from exchange.community import notifications
from exchange.community.models import Notification
from exchange.db import db
from exchange.mail import preferences
from exchange.mail.models import DigestMark

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def _reader(user_id) -> User | None:
    """Someone who may get notification emails: active, with a verified address."""
    user = db.session.get(User, user_id) if user_id is not None else None
    return user if user is not None and user.active and user.verified_at is not None else None


def _absolute(shown):
    shown.url = urljoin(request.host_url, shown.url)
    return shown


def item_for(user_id, key: str):
    """The one notification an email at once is about, if its reader may still see it."""
    user = _reader(user_id)
    shown = notifications.visible_to(user, key=key) if user else []
    return _absolute(shown[0]) if shown else None


def items_for(user_id, ids) -> list:
    """The notifications of a digest that its reader may still see, newest first."""
    user = _reader(user_id)
    return [_absolute(shown) for shown in notifications.visible_to(user, ids=ids)] if user else []


def collect(frequency: str, now) -> list[tuple[User, list[int]]]:
    """Per reader, the notifications up to ``now`` since their last ``frequency`` digest, of kinds they want in it."""
    mark = sa.func.coalesce(DigestMark.through, now - PERIODS[frequency])
    rows = db.session.execute(
        sa.select(Notification.user_id, Notification.id, Notification.kind)
        .outerjoin(DigestMark, sa.and_(DigestMark.user_id == Notification.user_id, DigestMark.frequency == frequency))
        .where(Notification.created_at > mark, Notification.created_at <= now)
        .order_by(Notification.user_id, Notification.id)).all()
    wanted: dict[int, list[int]] = {}
    choices: dict[int, dict[str, str]] = {}
    for user_id, notification_id, kind in rows:
        choice = choices.setdefault(user_id, preferences.preferences_of(user_id))
        if choice.get(preferences.kind_of(kind)) == frequency:
            wanted.setdefault(user_id, []).append(notification_id)
    readers = [(_reader(user_id), ids) for user_id, ids in wanted.items()]
    return [(user, ids) for user, ids in readers if user is not None]


def mark(user_id: int, frequency: str, through) -> None:
    row = db.session.get(DigestMark, (user_id, frequency))
    if row is None:
        db.session.add(DigestMark(user_id=user_id, frequency=frequency, through=through))
    else:
        row.through = through
