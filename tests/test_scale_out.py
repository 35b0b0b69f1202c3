"""Several app servers at once: nothing one server needs is kept in another's memory.

Rate limits live in a SQLite file the workers of one server share (the default), or in Redis for
several servers (EXCHANGE_RATELIMIT_STORAGE_URI), and everything else in the shared database.
The two-server test runs when the suite runs on PostgreSQL (as CI does).
"""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from exchange.db import database_url
from tests.conftest import PASSWORD, POSTGRES_URL

REDIS_URL = os.environ.get("EXCHANGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up() and not os.environ.get("CI"),
                                 reason="no Redis on 127.0.0.1:6379 (CI always has one)")


@needs_redis
def test_failed_sign_ins_are_counted_across_servers(new_app, make):
    """Two app instances sharing Redis share one counter: the 11th failure is refused on either."""
    prefix = f"test-{uuid.uuid4().hex}"
    first = new_app(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    second = new_app(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    users = [make.user() for _ in range(3)]  # the per-account throttle would stop one account's tries first
    statuses = [(first if i % 2 else second).test_client().post(
        "/login", data={"email": users[i % 3].email, "password": "not the right one"}).status_code for i in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(base, path, method="GET", token=None, json_body=None):
    import json

    data = json.dumps(json_body).encode() if json_body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            body = response.read()
            return response.status, json.loads(body) if body else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def server_env(request, database):
    """The environment both servers run with (and a command run beside them, e.g. ``exchange search check``).

    A test may add variables by parametrizing this fixture indirectly.
    """
    return {**os.environ, "EXCHANGE_DATABASE_URL": database, "EXCHANGE_SECRET_KEY": "shared-secret",
            "EXCHANGE_SEARCH_BACKEND": "postgres", "EXCHANGE_RATELIMIT_STORAGE_URI": REDIS_URL,
            "EXCHANGE_RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}", "EXCHANGE_ADMIN_MFA": "false",
            "EXCHANGE_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **getattr(request, "param", {})}


@pytest.fixture
def two_servers(server_env, tmp_path):
    """Two gunicorn servers on two ports, one PostgreSQL database, PostgreSQL search, Redis limits."""
    env = server_env
    servers = []
    for n in range(2):
        port = _free_port()
        with open(tmp_path / f"server-{n}.log", "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "--bind", f"127.0.0.1:{port}",
                                        "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=log)
        servers.append((f"http://127.0.0.1:{port}", process))
    try:
        for base, process in servers:
            deadline = time.time() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)
                    break
                except OSError:  # not up yet
                    if process.poll() is not None or time.time() > deadline:
                        logs = "".join(p.read_text()[-2000:] for p in tmp_path.glob("server-*.log"))
                        raise RuntimeError(f"a server did not start:\n{logs}") from None
                    time.sleep(0.2)
        yield [base for base, _ in servers]
    finally:
        for _, process in servers:
            process.terminate()
            process.wait(timeout=20)


@pytest.mark.skipif(not POSTGRES_URL, reason="two servers share one PostgreSQL database: runs in the PostgreSQL suite")
def test_written_on_one_server_read_endorsed_and_found_on_the_other(two_servers, make):
    one, two = two_servers
    author = make.user()
    reader = make.user()
    status, article = _call(one, "/api/v1/articles", "POST", make.token(author), {
        "title": "Shared tide gauges", "kind": "case_study", "summary": "Volunteers read tide gauges.",
        "body": "Volunteers in the harbour read tide gauges every morning.", "status": "published"})
    assert status == 201
    status, seen = _call(two, f"/api/v1/articles/{article['slug']}")
    assert status == 200 and seen["title"] == "Shared tide gauges"
    status, summary = _call(two, f"/api/v1/articles/{article['slug']}/endorsement", "PUT", make.token(reader),
                            {"kind": "adopt", "note": "We copied this."})
    assert status == 200
    status, again = _call(one, f"/api/v1/articles/{article['slug']}")
    assert again["endorsements"]["adoptions"] == 1 and again["endorsements"]["score"] == 3
    status, found = _call(two, "/api/v1/search?q=gauge")
    assert status == 200 and [r["slug"] for r in found["results"]] == [article["slug"]]


ROUNDS = 20  # endorsement changes per person (at most ENDORSE_RATE_LIMIT, 30 a minute)
INDEXED_SCORE = sa.text("""
SELECT a.score AS article, d.score AS indexed, (SELECT count(*) FROM search_pending) AS pending
FROM articles a LEFT JOIN search_documents d ON d.article_id = a.id WHERE a.slug = :slug""")


@pytest.mark.skipif(not POSTGRES_URL, reason="two servers share one PostgreSQL database: runs in the PostgreSQL suite")
@pytest.mark.parametrize("server_env", [{"GUNICORN_THREADS": "10"}], indirect=True)  # more writes at once
def test_endorsements_toggled_on_two_servers_leave_the_search_index_current(two_servers, server_env, make):
    """Ten people endorse and withdraw at once on both servers: no older score is written over a newer one.

    Each round, everyone changes their endorsement at the same moment, half on each server; once
    all are answered, every change has been applied (the queue is empty), so the index must hold
    the article's score. At the end ``exchange search check`` finds nothing to mend.
    """
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    servers = two_servers
    status, article = _call(servers[0], "/api/v1/articles", "POST", make.token(make.user()), {
        "title": "Shared ferry timetable", "kind": "case_study", "summary": "One timetable for two ferries.",
        "body": "The two ferry operators publish one timetable.", "status": "published"})
    assert status == 201
    path = f"/api/v1/articles/{article['slug']}/endorsement"
    tokens = [make.token(make.user()) for _ in range(10)]
    start = Barrier(len(tokens))

    def change(person: int, round_: int) -> int:
        base = servers[(person + round_) % 2]
        start.wait(timeout=30)
        if round_ % 2 == 0:
            return _call(base, path, "PUT", tokens[person], {"kind": "adopt" if person % 2 else "endorse"})[0]
        return _call(base, path, "DELETE", tokens[person])[0]

    engine = sa.create_engine(database_url(server_env["EXCHANGE_DATABASE_URL"]))
    lost = []
    try:
        with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
            for round_ in range(ROUNDS):
                statuses = list(pool.map(change, range(len(tokens)), [round_] * len(tokens)))
                assert statuses == [204 if round_ % 2 else 200] * len(tokens)
                with engine.connect() as connection:
                    row = connection.execute(INDEXED_SCORE, {"slug": article["slug"]}).one()
                if row.pending == 0 and row.article != row.indexed:
                    lost.append((round_, row.article, row.indexed))
    finally:
        engine.dispose()
    assert lost == []  # (round, the article's score, the indexed one)
    done = subprocess.run([sys.executable, "-m", "exchange.cli", "search", "check"], cwd=ROOT, env=server_env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(not POSTGRES_URL, reason="two servers share one PostgreSQL database: runs in the PostgreSQL suite")
def test_sign_in_on_one_server_is_valid_on_the_other(two_servers, make):
    one, two = two_servers
    user = make.user(name="Sam Shared")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(one + "/login").read().decode()
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": user.email, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(one + "/login", data=data).read()
    assert "Sam Shared" in opener.open(two + "/").read().decode()


_WORKER = """
import sys
from exchange import create_app
from tests.conftest import _config
from pathlib import Path
settings = _config(sys.argv[1], Path(sys.argv[2]))
del settings["RATELIMIT_STORAGE_URI"]  # as set in the environment, as a server is
app = create_app(settings)
client = app.test_client()
emails = sys.argv[3].split(",")  # several accounts: the per-account throttle would stop one account's tries first
print(" ".join(str(client.post("/login", data={"email": emails[i % len(emails)], "password": "not the right one"})
                   .status_code) for i in range(int(sys.argv[4]))))
"""


def test_failed_sign_ins_are_counted_across_the_workers_of_one_server(database, tmp_path, make, monkeypatch):
    """Two worker processes on one counters file count together: six failures on one, five on the other."""
    monkeypatch.setenv("EXCHANGE_RATELIMIT_STORAGE_URI", f"exchange+sqlite:///{tmp_path / 'limits.db'}")
    emails = ",".join(make.user().email for _ in range(3))

    def worker(tries: int) -> list[int]:
        done = subprocess.run([sys.executable, "-c", _WORKER, database, str(tmp_path), emails, str(tries)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120, env=os.environ)
        assert done.returncode == 0, done.stderr
        return [int(status) for status in done.stdout.split()]

    assert worker(6) == [422] * 6
    assert worker(5) == [422] * 4 + [429]
