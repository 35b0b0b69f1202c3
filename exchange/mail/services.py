"""The outbox: messages queued in the transaction that causes them, sent after it commits, retried with backoff.

``queue`` writes a row in the caller's transaction (nothing is sent if it rolls back).
``send_due`` claims the rows that are due, renders and sends each, and records the outcome: a
failure waits MAIL_RETRY_SECONDS, then twice as long each time, until MAIL_MAX_ATTEMPTS. It never
raises for a mail server's fault, so a request whose commit triggers it never fails because of mail.
"""
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from exchange.db import db, utcnow
from exchange.errors import Invalid
from exchange.mail import messages
from exchange.mail.models import OutboxMessage
from exchange.mail.sender import SendFailed, make_sender
from exchange.urls import site_address

log = logging.getLogger("exchange.mail")
QUEUED = "mail.queued"  # session.info: this transaction queued mail; send after its commit
CLAIM_SECONDS = 120  # a sender's hold on a message; after it, another may take it (the first one died)
MAX_BACKOFF = timedelta(hours=6)


def queue(session, to_address: str, kind: str, payload: dict, user_id=None, dedupe_key=None) -> None:
    """Add a message to the outbox in ``session``'s transaction; a repeated ``dedupe_key`` adds nothing."""
    if kind not in messages.KINDS:
        raise ValueError(f"unknown kind of email {kind!r}")
    row = {"to_address": to_address, "user_id": user_id, "kind": kind, "payload": json.dumps(payload),
           "dedupe_key": dedupe_key, "base_url": _base_url(), "created_at": utcnow(), "next_attempt_at": utcnow(),
           "attempts": 0, "subject": "", "last_error": ""}
    connection = session.connection()
    table = OutboxMessage.__table__
    dialects = {"postgresql": postgresql, "sqlite": sqlite}
    if dedupe_key and connection.dialect.name in dialects:
        connection.execute(dialects[connection.dialect.name].insert(table).on_conflict_do_nothing(), [row])
    else:
        connection.execute(table.insert(), [row])
    session.info[QUEUED] = True


def _base_url() -> str:
    return site_address()


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    dropped: int = 0  # nothing left to say (e.g. the article went back to draft)


def send_due(limit: int = 200) -> Outcome:
    """Send what is due now (at most ``limit``), one connection to the server for the batch."""
    sender, connection, outcome = make_sender(current_app.config), None, Outcome()
    try:
        for message_id in _claim(limit):
            row = db.session.get(OutboxMessage, message_id)
            try:
                rendered = _render(row)
                if rendered is None:
                    _finish(row, dropped=True)
                    outcome.dropped += 1
                    continue
                connection = connection or sender.open()
                sender.send(connection, messages.as_email(row, rendered))
            except SendFailed as error:
                _failed(row, str(error))
                outcome.failed += 1
                if connection is None:
                    _release_rest()
                    break  # the server cannot be reached: the rest wait for the next round
                continue
            row.subject = rendered.subject
            _finish(row)
            outcome.sent += 1
    finally:
        if connection is not None:
            sender.close(connection)
    return outcome


def _claim(limit: int) -> list[int]:
    """Take the due messages for this sender, so two senders never send one message twice."""
    now = utcnow()
    due = sa.and_(OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None),
                  OutboxMessage.next_attempt_at <= now,
                  sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
    ids = db.session.scalars(sa.select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)).all()
    claimed = []
    for message_id in ids:
        taken = db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == message_id, due)
                                   .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
                                   .execution_options(synchronize_session=False))
        if taken.rowcount == 1:
            claimed.append(message_id)
    db.session.commit()
    return claimed


def _render(row):
    """Render with the site's address of the moment the message was queued."""
    try:
        with current_app.test_request_context("/", base_url=row.base_url or _base_url()):
            return messages.render(row)
    except Exception as error:  # a bug in a template must not stop the rest of the outbox
        log.exception("Could not render email %s (%s)", row.id, row.kind)
        raise SendFailed(f"could not render: {error}") from None


def _finish(row, dropped: bool = False) -> None:
    row.sent_at, row.claimed_until, row.payload = utcnow(), None, "{}"  # the payload may hold a link: not kept
    row.attempts += 0 if dropped else 1
    row.last_error = "dropped: nothing its reader may see" if dropped else ""
    db.session.commit()


def _failed(row, error: str) -> None:
    row.attempts += 1
    row.last_error = error[:2000]
    row.claimed_until = None
    wait = timedelta(seconds=current_app.config["MAIL_RETRY_SECONDS"] * 2 ** (row.attempts - 1))
    row.next_attempt_at = utcnow() + min(wait, MAX_BACKOFF)
    if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.given_up_at = utcnow()
        log.error("Gave up sending email %s to %s after %s attempts: %s", row.id, row.to_address, row.attempts, error)
    else:
        log.warning("Email %s to %s not sent (attempt %s), trying again at %s: %s", row.id, row.to_address,
                    row.attempts, row.next_attempt_at.isoformat(timespec="seconds"), error)
    db.session.commit()


def _release_rest() -> None:
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.sent_at.is_(None),
                                                      OutboxMessage.claimed_until.is_not(None))
                       .values(claimed_until=None).execution_options(synchronize_session=False))
    db.session.commit()


@dataclass
class Status:
    waiting: int
    due: int
    retrying: int
    given_up: int
    sent: int
    oldest_waiting: object
    last_error: str


def status() -> Status:
    """How the outbox stands: what waits, what is retried, what was given up, what was sent."""
    now = utcnow()
    unsent = sa.and_(OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None))

    def count(*where):
        return db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(*where)) or 0

    last = db.session.scalar(sa.select(OutboxMessage.last_error).where(unsent, OutboxMessage.attempts > 0)
                             .order_by(OutboxMessage.id.desc()).limit(1))
    return Status(waiting=count(unsent), due=count(unsent, OutboxMessage.next_attempt_at <= now),
                  retrying=count(unsent, OutboxMessage.attempts > 0),
                  given_up=count(OutboxMessage.given_up_at.is_not(None)),
                  sent=count(OutboxMessage.sent_at.is_not(None)),
                  oldest_waiting=db.session.scalar(sa.select(sa.func.min(OutboxMessage.created_at)).where(unsent)),
                  last_error=last or "")


def send_digests(frequency: str) -> int:
    """Queue one digest per reader with something new of the kinds they want ``frequency``; returns how many."""
    from exchange.mail import digests

    if frequency not in digests.PERIODS:
        raise Invalid("Digests are daily or weekly.", {"frequency": "daily or weekly"})
    now = utcnow()
    readers = digests.collect(frequency, now)
    for user, ids in readers:
        queue(db.session, user.email, "digest", {"frequency": frequency, "ids": ids}, user_id=user.id,
              dedupe_key=f"digest:{frequency}:{user.id}:{now.isoformat()}")
        digests.mark(user.id, frequency, now)
    db.session.commit()
    return len(readers)
