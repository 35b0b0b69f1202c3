"""The per-account throttle: after a few failed attempts, the next waits, twice as long each time.

It counts per account or address (the rate limit in ``routes`` counts per IP address), in the
rate-limit storage, so every worker and server counts together. Unknown addresses are throttled
like known ones, so the throttle tells nobody who has an account.

``paused`` is sent when an account's sign-in is first paused: the in-site notification listens
(``exchange.community``), and so can an email (#15), without this module knowing either.
"""
import hashlib
import time

from blinker import Namespace
from flask import current_app

from exchange.errors import Throttled
from exchange.extensions import limiter

FORGET_AFTER = 24 * 3600  # failures older than a day are forgotten
LONGEST_PAUSE = 3600

paused = Namespace().signal("sign-in-paused")  # sent with the user; kwargs: seconds


def _key(scope: str, who, part: str) -> str:
    digest = hashlib.sha256(str(who).encode("utf-8", "replace")).hexdigest()[:32]
    return f"{current_app.config['RATELIMIT_KEY_PREFIX']}/throttle/{scope}/{digest}/{part}"


def _on() -> bool:
    return current_app.config["RATELIMIT_ENABLED"]


def check(scope: str, who) -> None:
    """Throttled while this account or address must wait."""
    if not _on():
        return
    storage = limiter.storage
    if storage.get(_key(scope, who, "pause")):
        wait = max(1, round(storage.get_expiry(_key(scope, who, "pause")) - time.time()))
        raise Throttled(f"Too many failed attempts. Try again in {wait} seconds.")


def failed(scope: str, who, user=None) -> int:
    """Count a failure; returns the seconds the next attempt must wait (0: none yet)."""
    if not _on():
        return 0
    storage, free = limiter.storage, current_app.config["SIGN_IN_FREE_FAILURES"]
    failures = storage.incr(_key(scope, who, "failures"), FORGET_AFTER)
    if failures < free:
        return 0
    wait = min(current_app.config["SIGN_IN_FIRST_PAUSE"] * 2 ** (failures - free), LONGEST_PAUSE)
    storage.clear(_key(scope, who, "pause"))
    storage.incr(_key(scope, who, "pause"), wait)
    if failures == free and user is not None:
        paused.send(user, seconds=wait)
    return wait


def succeeded(scope: str, who) -> None:
    """A success forgets the failures."""
    if _on():
        limiter.storage.clear(_key(scope, who, "failures"))
