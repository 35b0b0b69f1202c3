"""The events that cause emails, heard from the domains below, each queued in the transaction that caused it."""
import sqlalchemy as sa

from exchange.accounts import invitations, links
from exchange.accounts import services as accounts
from exchange.accounts.models import User
from exchange.community import notifications, questions
from exchange.db import db
from exchange.mail import preferences
from exchange.mail.services import queue


def listen() -> None:
    """Connect once per process (blinker keeps the receivers; connecting twice is harmless)."""
    notifications.notified.connect(_notified)
    accounts.registration_repeated.connect(_registration_repeated)
    links.verification_requested.connect(_verification_requested)
    links.reset_requested.connect(_reset_requested)
    invitations.invited.connect(_invited)
    questions.asked.connect(_asked)


def _notified(session, kind: str, key: str, user_ids) -> None:
    """Email at once those who chose it for this kind (others wait for their digest, or for nothing)."""
    covered = preferences.kind_of(kind)
    if covered is None or not user_ids:
        return
    connection = session.connection()
    choice = preferences.frequency_of(connection, user_ids, covered)
    now_readers = [user_id for user_id, frequency in choice.items() if frequency == "instant"]
    if not now_readers:
        return
    readers = connection.execute(sa.select(User.id, User.email).where(
        User.id.in_(now_readers), User.active.is_(True), User.verified_at.is_not(None))).all()
    for user_id, email in readers:
        queue(session, email, "notification", {"key": key}, user_id=user_id, dedupe_key=f"n:{user_id}:{key}")


def _registration_repeated(holder: User) -> None:
    queue(db.session, holder.email, "registration_repeated", {"name": holder.name}, user_id=holder.id)


def _verification_requested(user: User, token: str) -> None:
    queue(db.session, user.email, "verify", {"name": user.name, "token": token}, user_id=user.id)


def _reset_requested(user: User, token: str, by_admin: bool = False) -> None:
    queue(db.session, user.email, "reset", {"name": user.name, "token": token, "by_admin": by_admin},
          user_id=user.id)


def _invited(invitation, token: str) -> None:
    queue(db.session, invitation.email, "invitation",
          {"token": token, "agency": invitation.agency.name, "inviter": invitation.invited_by_name})


def _asked(session, question, addresses) -> None:
    """One email per address, so no one sees another's; answers go to the sender (Reply-To)."""
    for address in addresses:
        queue(session, address, "question", {"question_id": question.id},
              dedupe_key=f"q:{question.id}:{address.lower()}"[:200])
