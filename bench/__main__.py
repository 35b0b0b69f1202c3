"""`make bench`: generate a corpus, load and index it, serve it under gunicorn, print one table;
then the relevance table (``bench/relevance.py``: the CISI test collection, every backend beside
a BM25 reference). `python -m bench relevance` prints the relevance table alone.

Every figure stands beside yardsticks measured in the same run on the same machine: the
ceiling (a bare Flask app), naive Whoosh and SQLite FTS5. Knobs (environment):
BENCH_ARTICLES (10000), BENCH_SECONDS (5 per wrk run), BENCH_MEMORY_ARTICLES (100000; 0 skips),
BENCH_DIR (a temporary folder), BENCH_RELEVANCE (1; 0 skips the relevance table),
BENCH_DATABASE_URL (a PostgreSQL database for the relevance table's PostgreSQL row),
BENCH_STACK (sqlite: SQLite with Whoosh, the default; postgres: PostgreSQL with its own search backend, in
a database BENCH_POSTGRES_DATABASE, "exchange_bench" by default, on BENCH_POSTGRES_SERVER,
postgresql://postgres@127.0.0.1:5432; that database is dropped and made afresh).
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus, first_search, memory, relevance, scale, serve, yardsticks
from bench.report import Table

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
MEMORY_ARTICLES = int(os.environ.get("BENCH_MEMORY_ARTICLES", "100000"))
RELEVANCE = os.environ.get("BENCH_RELEVANCE", "1") != "0"
QUERIES = ["budget", "social media", "open data portal", "residents", "crowd voting ideas", "procurement",
           "volunteers transcribed", "response times", "council residents", "challenge prize", "evidence",
           "participatory budgeting pilot", "staff ambassadors", "engagement", "zephyrine", "map data"]


STACK = os.environ.get("BENCH_STACK", "sqlite")


def stack(work: Path) -> dict:
    """The database and search backend the Exchange runs on in this bench."""
    if STACK == "sqlite":
        return {"EXCHANGE_DATABASE_URL": f"sqlite:///{work / 'exchange.db'}", "EXCHANGE_SEARCH_BACKEND": "whoosh"}
    if STACK != "postgres":
        raise SystemExit(f"BENCH_STACK is sqlite or postgres, not {STACK!r}")
    import sqlalchemy as sa

    server = os.environ.get("BENCH_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
    name = os.environ.get("BENCH_POSTGRES_DATABASE", "exchange_bench")
    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return {"EXCHANGE_DATABASE_URL": f"{server}/{name}", "EXCHANGE_SEARCH_BACKEND": "postgres"}


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def exchange(env: dict, *args: str) -> float:
    """Run an exchange command; seconds taken."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "exchange.cli", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    work = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="exchange-bench-"))
    table = Table(ARTICLES)
    baseline = scale.Baseline.from_environment()
    figures: dict[str, float] = {}
    say(f"writing {ARTICLES} articles into {work}")
    content = corpus.write(work / "corpus", ARTICLES)
    env = {**os.environ, **stack(work), "EXCHANGE_SEARCH_INDEX": str(work / "index"),
           "EXCHANGE_SECRET_KEY": "bench", "EXCHANGE_RATELIMIT_ENABLED": "false"}
    table.note(f"stack: {STACK} ({env['EXCHANGE_SEARCH_BACKEND']} search)")
    if baseline.describe():
        table.note(baseline.describe())
    elif scale.is_large(ARTICLES):
        table.note(f"no BENCH_BASELINE: pages keep their {scale.REFERENCE_SIZE:,}-article shares; give the "
                   f"results.json of a {scale.REFERENCE_SIZE:,}-article run to hold them within "
                   f"{scale.WITHIN:.0%} of it")
    exchange(env, "db", "upgrade")

    say("content load")
    load_seconds = exchange(env, "content", "load", str(content))
    figures["content load s"] = load_seconds
    load_budget = 90 * ARTICLES / 10000
    table.row("content load", f"{load_seconds:.1f} s", f"{ARTICLES / load_seconds:.0f} articles/s", "",
              f"under {_duration(load_budget)}", load_seconds < load_budget)

    docs = list(corpus.documents(content))
    naive_rate = None
    if scale.naive_whoosh_wanted(ARTICLES):
        say("naive Whoosh build")
        naive_rate = yardsticks.naive_whoosh_build(docs, work / "naive-index")
    say("search reindex")
    reindex_seconds = exchange(env, "search", "reindex")
    figures["search reindex s"] = reindex_seconds
    rate = ARTICLES / reindex_seconds
    reindex_budget = 60 * ARTICLES / 10000
    yardstick = "naive Whoosh not built at this size (BENCH_NAIVE=1 builds it)"
    budget, met = f"under {_duration(reindex_budget)}", reindex_seconds < reindex_budget
    if naive_rate:
        yardstick = f"{rate / naive_rate:.2f}× naive Whoosh ({naive_rate:.0f} docs/s)"
        budget, met = budget + " and ≥ 1.5× naive", met and rate >= 1.5 * naive_rate
    table.row("search reindex", f"{reindex_seconds:.1f} s", f"{rate:.0f} docs/s", yardstick, budget, met)

    say("SQLite FTS5 build")
    fts, fts_rate = yardsticks.fts5_build(docs, work / "fts5.db")
    table.note(f"SQLite FTS5 indexed {fts_rate:.0f} docs/s")

    say("search in process")
    ours, short = in_process_latencies(env)
    fts_times = yardsticks.fts5_latencies(fts, QUERIES)
    p95, fts_p95 = yardsticks.percentile(ours, 95), yardsticks.percentile(fts_times, 95)
    figures["search p50 ms"], figures["search p95 ms"] = yardsticks.percentile(ours, 50), p95
    limit = scale.search_p95_budget_ms(ARTICLES)
    figure = f"p95 {p95:.1f} ms (p50 {figures['search p50 ms']:.1f})" + first_search.cut_short(short, len(ours))
    yardstick, budget = f"FTS5 p95 {fts_p95:.1f} ms", f"p95 < {limit} ms, none cut short"
    met = p95 < limit and not short
    if naive_rate:
        naive_p95 = yardsticks.percentile(yardsticks.naive_whoosh_latencies(work / "naive-index", QUERIES), 95)
        yardstick = f"naive Whoosh p95 {naive_p95:.1f} ms (no facets); " + yardstick
        budget, met = budget + " and ≤ naive Whoosh", met and p95 <= naive_p95
    table.row("search in process, 1-3 terms, facets", figure, "", yardstick, budget, met)

    say("search in process, first searches after a change")
    table.row(*first_search.row(env, QUERIES, limit))

    say("serving: ceiling")
    with serve.gunicorn("bench.ceiling:app") as (base, _):
        ceiling = serve.wrk(base + "/", SECONDS)
    table.ceiling(ceiling)
    ratios: dict[str, float] = {}
    say("serving: the Exchange")
    add_member(env)
    with serve.gunicorn("wsgi:app", env) as (base, process):
        member = serve.sign_in(base, MEMBER, MEMBER_PASSWORD)
        rare, common = f"/search?q={corpus.RARE_WORD}", "/search?q=" + "+".join(corpus.COMMON_WORDS)
        pages = [  # label, address, signed in, budget (share of the ceiling)
            ("article page, visitor", "/articles/bench-1", False, 0.50),
            ("article page, signed-in member", "/articles/bench-1", True, 0.25),
            ("home page, visitor", "/", False, 0.25),
            ("home page, signed-in member", "/", True, 0.15),
            ("list page (case studies), visitor", "/case-studies", False, 0.25),
            ("tag page, visitor", "/tags/open-data", False, 0.25),
            ("agency page, visitor", "/agencies/bench-agency-3", False, 0.25),
            (f"search, a word in 2% ({corpus.RARE_WORD}), visitor", rare, False, 0.10),
            (f"search, a word in 2% ({corpus.RARE_WORD}), signed-in member", rare, True, 0.08),
            ("search, two words in most articles, visitor", common, False, 0.02),
        ]
        for label, path, signed_in, share in pages:
            say(f"  {label}")
            rps = serve.wrk(base + path, SECONDS, cookie=member if signed_in else None)
            ratios[label] = rps / ceiling
            table.row(label, f"{rps:.0f} req/s", f"{rps / ceiling:.1%} of ceiling", "",
                      *baseline.page_budget(label, share, rps / ceiling))
        if MEMORY_ARTICLES and ARTICLES >= MEMORY_ARTICLES:
            say(f"memory of one worker at {ARTICLES} articles (this instance)")
            rss = figures["worker MB"] = memory.served_rss(base, process, ARTICLES)
            table.row(f"one worker's memory, {ARTICLES} articles", f"{rss:.0f} MB", "", "",
                      "under 300 MB", rss < 300)
    if MEMORY_ARTICLES and ARTICLES < MEMORY_ARTICLES:
        say(f"memory of one worker at {MEMORY_ARTICLES} articles")
        rss = memory.worker_rss(work / "memory", MEMORY_ARTICLES, say)
        table.row(f"one worker's memory, {MEMORY_ARTICLES} articles", f"{rss:.0f} MB", "", "",
                  "under 300 MB", rss < 300)
    scale.save(work / "results.json", articles=ARTICLES, stack=STACK, ceiling=ceiling, ratios=ratios,
               figures=figures)
    table.note(f"figures saved in {work / 'results.json'} (BENCH_BASELINE=that file holds a larger run to them)")
    print(table.render())
    if RELEVANCE:
        print()
        print(relevance.render(relevance.measure(work / "relevance")))


MEMBER, MEMBER_PASSWORD = "member@agency1.bench.example", "bench member password"


def add_member(env: dict) -> None:
    """A member of one of the corpus's agencies, who reads the pages the member rows measure."""
    subprocess.run([sys.executable, "-m", "exchange.cli", "user", "add", MEMBER, "--name", "Morgan Member",
                    "--agency", "bench-agency-1", "--password-stdin"], input=MEMBER_PASSWORD + "\n", text=True,
                   env=env, check=True, stdout=subprocess.DEVNULL)


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def in_process_latencies(env: dict, rounds: int = 3) -> tuple[list[float], int]:
    """Milliseconds per search through the site's own search service, with facets; and how many searches the
    time limit cut short (their results partial, without facets), which the table counts as a miss."""
    os.environ.update(env)
    from exchange import create_app
    from exchange.search.backends import configured
    from exchange.search.services import read_request

    app = create_app()
    times, short = [], 0
    with app.app_context():
        backend = configured().backend
        # As a worker starts (gunicorn.conf.py): the index's arrays are read ahead of the first search. The
        # first searches after a change, which find a new segment unread, are the row after this one.
        backend.warm_up()
        getattr(backend, "wait_warm", lambda: None)()
        for _ in range(rounds):
            for text in QUERIES:
                start = time.perf_counter()
                request, _ = read_request({"q": text})
                results = backend.search(request)
                times.append((time.perf_counter() - start) * 1000)
                assert results.facets or results.partial or not results.total, "facets are part of every search"
                short += results.partial
    return times, short


if __name__ == "__main__":
    if sys.argv[1:] == ["relevance"]:
        relevance.main()
    elif sys.argv[1:2] == ["profile"]:
        from bench import profile
        profile.main(sys.argv[2:])
    else:
        main()
