"""`python -m bench profile`: where a page's time goes, per page, for a visitor and a signed-in member.

Loads the bench corpus (BENCH_PROFILE_ARTICLES, 2000 by default, into BENCH_DIR or a temporary
folder; a folder that already holds one is reused), then serves each page in process through
Flask's test client under cProfile: milliseconds and statements per request, and the functions
that took most of the time (their own time, and with what they call). The page cache is on, as in
production: a visitor's repeat request is served from it, a member's is rendered every time.
"""
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus

ARTICLES = int(os.environ.get("BENCH_PROFILE_ARTICLES", "2000"))
ROUNDS = int(os.environ.get("BENCH_PROFILE_ROUNDS", "40"))
PAGES = [("article", "/articles/bench-1"), ("home", "/"), ("list", "/case-studies"), ("tag", "/tags/open-data"),
         ("agency", "/agencies/bench-agency-3"), ("search", f"/search?q={corpus.RARE_WORD}")]
MEMBER = "member@agency1.bench.example"
PASSWORD = "bench member password"  # the same as `make bench`, whose folder (BENCH_DIR) it may reuse


def prepare(work: Path) -> dict:
    env = {**os.environ, "EXCHANGE_DATABASE_URL": f"sqlite:///{work / 'exchange.db'}",
           "EXCHANGE_SEARCH_INDEX": str(work / "index"), "EXCHANGE_SECRET_KEY": "bench",
           "EXCHANGE_RATELIMIT_ENABLED": "false", "EXCHANGE_ADMIN_MFA": "false"}
    if not (work / "exchange.db").exists():
        content = corpus.write(work / "corpus", ARTICLES)
        for args in (("db", "upgrade"), ("content", "load", str(content)), ("search", "reindex")):
            subprocess.run([sys.executable, "-m", "exchange.cli", *args], env=env, check=True,
                           stdout=subprocess.DEVNULL)
    return env


def member_client(app):
    from exchange.accounts.services import add_user, get_user_by_email
    from exchange.errors import NotFound
    from exchange.permissions import SYSTEM

    with app.app_context():
        try:
            get_user_by_email(MEMBER)
        except NotFound:
            add_user(SYSTEM, MEMBER, "Morgan Member", "bench-agency-1", "member", PASSWORD)
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"email": MEMBER, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, "the bench member could not sign in"
    return client


def statements_of(app, client, path: str) -> int:
    import sqlalchemy as sa

    from exchange.db import db

    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    client.get(path)
    sa.event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def profile(client, path: str) -> tuple[float, pstats.Stats]:
    for _ in range(3):
        assert client.get(path).status_code == 200, f"{path} failed"
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(ROUNDS):
        client.get(path)
    profiler.disable()
    return (time.perf_counter() - start) * 1000 / ROUNDS, pstats.Stats(profiler)


def top(stats: pstats.Stats, key: str, count: int = 12) -> str:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats(key).print_stats(count)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
    return "\n".join(line[:160] for line in lines[start:start + count + 1])


def main(names: list[str]) -> None:
    work = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="exchange-profile-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"[bench] profiling {ARTICLES} articles in {work}", file=sys.stderr)
    os.environ.update(prepare(work))
    from exchange import create_app

    app = create_app()
    clients = {"visitor": app.test_client(), "member": member_client(app)}
    pages = [page for page in PAGES if not names or page[0] in names]
    summary = []
    for name, path in pages:
        for role, client in clients.items():
            ms, stats = profile(client, path)
            count = statements_of(app, client, path)
            summary.append(f"| {name} | {role} | {ms:.2f} ms | {count} |")
            print(f"\n## {name} ({path}), {role}: {ms:.2f} ms a request, {count} statements")
            print("\nown time:\n" + top(stats, "tottime"))
            print("\nwith what it calls:\n" + top(stats, "cumulative", 45))
    print("\n| page | who | time per request (in process) | statements |\n| --- | --- | --- | --- |")
    print("\n".join(summary))
