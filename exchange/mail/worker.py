"""Sending after commit: a worker thread woken by each commit that queued mail, or inline, or only cron.

MAIL_SEND chooses: ``thread`` (default) wakes a daemon thread per server process, which also looks
every MAIL_WORKER_SECONDS for messages due for another try; ``inline`` sends in the request right
after its commit (tests, small sites); ``off`` leaves everything to ``exchange mail send`` from cron.
"""
import logging
import threading
from functools import partial

import sqlalchemy as sa

from exchange.mail import services

log = logging.getLogger("exchange.mail")
KEY = "exchange.mail.worker"


def listen(app) -> None:
    """Send after every commit that queued mail, as MAIL_SEND says."""
    sessions = app.extensions["exchange.db"]
    sa.event.listen(sessions, "after_commit", partial(_committed, app))
    sa.event.listen(sessions, "after_rollback", _rolled_back)


def _committed(app, session) -> None:
    if session.info.pop(services.QUEUED, False):
        dispatch(app)


def _rolled_back(session) -> None:
    session.info.pop(services.QUEUED, None)


def dispatch(app) -> None:
    """Have the outbox sent now, in the way MAIL_SEND chooses; never raises."""
    mode = app.config["MAIL_SEND"]
    if mode == "inline":
        send_safely(app)
    elif mode == "thread":
        worker(app).wake()


def send_safely(app) -> services.Outcome | None:
    """Send what is due in a context of its own; any failure is logged, never raised."""
    try:
        with app.app_context():
            return services.send_due()
    except Exception:  # the database or a bug: the messages stay in the outbox for the next round
        log.exception("Sending the outbox failed; its messages wait for the next round")
        return None


class Worker:
    """A daemon thread that sends the outbox when woken, and every MAIL_WORKER_SECONDS."""

    def __init__(self, app):
        self.app, self.event, self.stopping = app, threading.Event(), False
        self.thread = threading.Thread(target=self._run, name="exchange-mail", daemon=True)
        self.thread.start()

    def wake(self) -> None:
        self.event.set()

    def stop(self) -> None:
        """Finish the round under way, then end (for tests and orderly shutdowns)."""
        self.stopping = True
        self.event.set()
        self.thread.join(timeout=30)

    def _run(self) -> None:
        while not self.stopping:
            self.event.wait(self.app.config["MAIL_WORKER_SECONDS"])
            self.event.clear()
            if not self.stopping:
                send_safely(self.app)


_lock = threading.Lock()


def worker(app) -> Worker:
    """This process's worker for the app, started on first use (after a fork, a new one)."""
    with _lock:
        current = app.extensions.get(KEY)
        if current is None or not current.thread.is_alive():
            current = app.extensions[KEY] = Worker(app)
        return current


def stop(app) -> None:
    """Stop this process's worker for the app, if it has one."""
    current = app.extensions.pop(KEY, None)
    if current is not None:
        current.stop()
