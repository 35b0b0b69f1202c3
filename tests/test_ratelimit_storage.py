"""The default rate-limit storage: one SQLite file that every worker of a server shares."""
import pytest
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES

import exchange.extensions  # noqa: F401  (registers the storage's scheme)
from exchange.config import ROOT


@pytest.fixture
def uri(tmp_path):
    return f"exchange+sqlite:///{tmp_path / 'limits.db'}"


def test_the_default_is_a_file_in_the_instance_folder_not_each_workers_memory(new_app):
    app = new_app(RATELIMIT_STORAGE_URI=None)
    assert app.config["RATELIMIT_STORAGE_URI"] == f"exchange+sqlite:///{ROOT / 'instance' / 'ratelimits.db'}"


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_two_storages_on_one_file_share_one_count(uri, strategy):
    """Like two workers: what one takes, the other sees, in every strategy."""
    first, second = (STRATEGIES[strategy](storage_from_string(uri)) for _ in range(2))
    limit = RateLimitItemPerMinute(3)
    assert [first.hit(limit, "sign-in", "alice"), second.hit(limit, "sign-in", "alice"),
            first.hit(limit, "sign-in", "alice"), second.hit(limit, "sign-in", "alice")] == [True, True, True, False]
    assert first.hit(limit, "sign-in", "bob")  # another key has its own count
    assert second.get_window_stats(limit, "sign-in", "alice").remaining == 0


def test_clear_and_reset_free_the_counts(uri):
    storage = storage_from_string(uri)
    limiter = STRATEGIES["moving-window"](storage)
    limit = RateLimitItemPerMinute(1)
    assert limiter.hit(limit, "a") and not limiter.hit(limit, "a")
    limiter.clear(limit, "a")
    assert limiter.hit(limit, "a")
    assert storage.incr("counter", 60) == 1 and storage.incr("counter", 60, 2) == 3
    storage.reset()
    assert storage.get("counter") == 0 and limiter.hit(limit, "a")


def test_a_fixed_window_counter_expires(uri, monkeypatch):
    storage = storage_from_string(uri)
    assert storage.incr("k", 10) == 1 and storage.incr("k", 10) == 2
    now = storage.get_expiry("k")
    monkeypatch.setattr("time.time", lambda: now + 1)
    assert storage.get("k") == 0 and storage.incr("k", 10) == 1
