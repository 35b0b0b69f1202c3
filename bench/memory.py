"""One worker's memory with a large database: rows inserted in bulk, pages and searches served."""
import os
import random
import subprocess
import sys
import urllib.request
from pathlib import Path

from bench import corpus, serve


def _bulk_database(directory: Path, count: int, env: dict) -> None:
    """Migrate, then insert ``count`` published articles with SQL (the loader is measured elsewhere)."""
    subprocess.run([sys.executable, "-m", "exchange.cli", "db", "upgrade"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    os.environ.update(env)
    import sqlalchemy as sa

    from exchange import create_app, markdown
    from exchange.accounts.models import Agency, User
    from exchange.articles.models import Article, Tag, article_tags
    from exchange.db import db, utcnow

    app = create_app()
    rng = random.Random(3)
    words = corpus.vocabulary()
    with app.app_context():
        session = db.session
        agencies = [Agency(slug=a["slug"], name=a["name"], acronym=a["acronym"], level=a["level"], country="GB")
                    for a in corpus.agencies()]
        session.add_all(agencies)
        session.flush()
        users = [User(email=f"author{i}@bench.example", name=f"Author {i}", agency_id=a.id)
                 for i, a in enumerate(agencies)]
        tags = [Tag(slug=t.replace(" ", "-"), name=t) for t in corpus.TAGS]
        session.add_all(users + tags)
        session.commit()
        now = utcnow()
        for start in range(0, count, 5000):
            rows, links = [], []
            for i in range(start, min(count, start + 5000)):
                meta, body = corpus.article(i, words, rng, [a.slug for a in agencies])
                rendered = markdown.render(body)
                rows.append({"id": i + 1, "slug": meta["slug"], "title": meta["title"], "kind": meta["kind"],
                             "summary": meta["summary"], "body": body, "html": rendered.html, "text": rendered.text,
                             "toc_json": "[]", "agency_id": agencies[i % len(agencies)].id,
                             "author_id": users[i % len(users)].id, "status": "published",
                             "edit_policy": meta["edit_policy"], "evidence_level": meta.get("evidence_level"),
                             "stage": meta["stage"], "revision": 1, "created_at": now, "updated_at": now,
                             "published_at": now, "score": rng.random() * 5, "endorsement_count": 0,
                             "adoption_count": 0, "agency_count": 0})
                links += [{"article_id": i + 1, "tag_id": t.id} for t in rng.sample(tags, 3)]
            session.execute(sa.insert(Article), rows)
            session.execute(sa.insert(article_tags), links)
            session.commit()
    app.extensions["exchange.db"].kw["bind"].dispose()


def worker_rss(directory: Path, count: int, say) -> float:
    """Resident MB of one gunicorn worker after serving a mix of pages and searches."""
    directory.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "EXCHANGE_DATABASE_URL": f"sqlite:///{directory / 'exchange.db'}",
           "EXCHANGE_SEARCH_INDEX": str(directory / "index"), "EXCHANGE_SECRET_KEY": "bench",
           "EXCHANGE_RATELIMIT_ENABLED": "false", "BENCH_WORKERS": "1"}
    say(f"  inserting {count} articles")
    _bulk_database(directory, count, env)
    say("  building the search index")
    subprocess.run([sys.executable, "-m", "exchange.cli", "search", "reindex"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    serve.WORKERS = 1
    with serve.gunicorn("wsgi:app", env) as (base, process):
        return served_rss(base, process, count)


def served_rss(base: str, process, count: int) -> float:
    """Resident MB of the largest worker of a running gunicorn, after a mix of pages and searches
    over a library of ``count`` articles."""
    paths = ["/", "/case-studies", "/playbooks", "/tags", "/agencies", "/tags/open-data",
             "/agencies/bench-agency-1", "/search?q=council", "/search?q=open+data+portal",
             f"/search?q={corpus.RARE_WORD}"]
    paths += [f"/articles/bench-{i}" for i in range(0, count, max(1, count // 200))]
    paths += [f"/case-studies?page={p}" for p in range(1, 200, 7)]
    for path in paths:
        urllib.request.urlopen(base + path, timeout=60).read()
    return max(serve.rss_mb(pid) for pid in serve.worker_pids(process.pid))
