"""`python -m bench relevance`: how well search ranks, on a public test collection.

The CISI collection (``bench/cisi/``, copied from ``../shared/relevance/cisi/``: 1,460 abstracts,
112 questions, judgments for 76 of them) goes through the site's real path: each abstract is
written as an article file (title from ``.T``, body from ``.W``), loaded with ``exchange content
load``, indexed with ``exchange search reindex`` and asked, question by question (``.W``), of
``GET /api/v1/search`` (top 100). Beside it, in the same run, a reference BM25 ranker (bm25s)
on the same title and body with the same Snowball stems and stop words. ir-measures (with
pytrec_eval) scores both: nDCG@10, MAP@100 (AP@100) and Recall@100, averaged over the judged
questions (a question with no results scores 0).

Backends: the Whoosh index always (SQLite database in a temporary folder). With
``BENCH_DATABASE_URL`` set to a PostgreSQL database of its own (emptied of nothing: the
load upserts by slug, so use a database kept for the bench), a second row runs the same steps
with ``EXCHANGE_SEARCH_BACKEND=postgres`` on that database. Any other backend plugs in the same
way (``BACKENDS``): the harness only sets the environment and uses the CLI and the API.

Endorsements: each backend is measured again with endorsement scores assigned at random (the
article's ``score`` column set as endorsements would set it, then reindexed), to show what the
blend (``exchange/search/blend.py``) costs in relevance. Knobs: BENCH_DIR (a temporary
folder), BENCH_RELEVANCE_SEED (20261201).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
COLLECTION = HERE / "cisi"
TOP = 100
AGENCY = {"slug": "cisi", "name": "Cisi", "acronym": "", "level": "other", "country": "GB",
          "domains": ["cisi.bench.example"]}
TITLE_LIMIT = 200  # the article rules' limit; a longer title is cut at a word (the reference reads the same)
SEED = int(os.environ.get("BENCH_RELEVANCE_SEED", "20261201"))
NDCG_DROP_BUDGET = 0.02  # random endorsements may lower nDCG@10 by at most 2%


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# The collection ------------------------------------------------------------------

def _records(path: Path) -> dict[str, dict[str, str]]:
    """``.I`` records of a CISI file: id -> field letter -> text."""
    records, current, field = {}, None, None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        marker = re.fullmatch(r"\.([A-Z])(?: (\d+))?\s*", line)
        if marker and marker.group(1) == "I":
            current = records.setdefault(marker.group(2), {})
            field = None
        elif marker and current is not None:
            field = marker.group(1)
            current.setdefault(field, "")
        elif current is not None and field:
            current[field] += line + "\n"
    return {key: {f: " ".join(v.split()) for f, v in fields.items()} for key, fields in records.items()}


def documents(folder: Path = COLLECTION) -> dict[str, tuple[str, str]]:
    """Document id -> (title, body), the title cut to the site's limit."""
    found = {}
    for doc_id, fields in _records(folder / "CISI.ALL").items():
        title = fields.get("T", "") or f"Document {doc_id}"
        if len(title) > TITLE_LIMIT:
            title = title[:TITLE_LIMIT].rsplit(" ", 1)[0]
        found[doc_id] = (title, fields.get("W", ""))
    return found


def queries(folder: Path = COLLECTION) -> dict[str, str]:
    """Query id -> its question (``.W``)."""
    return {qid: fields.get("W", "") for qid, fields in _records(folder / "CISI.QRY").items()}


def judgments(folder: Path = COLLECTION) -> dict[str, dict[str, int]]:
    """Query id -> {relevant document id: 1}; queries without judgments are absent."""
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "CISI.REL").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            qrels.setdefault(str(int(parts[0])), {})[str(int(parts[1]))] = 1
    return qrels


def slug(doc_id: str) -> str:
    return f"cisi-{doc_id}"


def write_library(directory: Path, docs: dict[str, tuple[str, str]]) -> Path:
    """The documents as a content/ library (agencies.yml and case-studies/*.md) for ``content load``."""
    (directory / "case-studies").mkdir(parents=True, exist_ok=True)
    (directory / "agencies.yml").write_text(yaml.safe_dump([AGENCY], sort_keys=False))
    for doc_id, (title, body) in docs.items():
        # The summary is required: a word in no question, so it neither helps nor hurts a ranking.
        meta = {"title": title, "slug": slug(doc_id), "kind": "case_study", "agency": AGENCY["slug"],
                "summary": f"Cisi {doc_id}.", "status": "published"}
        text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100_000) + "---\n\n"
        (directory / "case-studies" / f"{slug(doc_id)}.md").write_text(text + (body or "No abstract.") + "\n")
    return directory


# The reference ---------------------------------------------------------------------

def tokens(text: str) -> list[str]:
    """Lower-case words of two letters or more, stop words out, Snowball stems: as the site's analyzer."""
    import unicodedata

    from exchange.search.words import is_stop, stem

    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return [stem(w) for w in re.findall(r"\w+", folded) if len(w) >= 2 and not is_stop(w)]


def reference_run(docs: dict[str, tuple[str, str]], questions: dict[str, str]) -> dict[str, list[str]]:
    """bm25s (Lucene's BM25, k1 1.5, b 0.75) on title and body: query id -> ranked document ids."""
    import bm25s
    import numpy as np

    ids = list(docs)
    corpus = [tokens(f"{title}\n{body}") for title, body in docs.values()]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    vocabulary = {word for doc in corpus for word in doc}
    run = {}
    for qid, text in questions.items():
        words = [w for w in tokens(text) if w in vocabulary]
        if not words:
            run[qid] = []
            continue
        scores = retriever.get_scores(words)
        order = np.argsort(-scores, kind="stable")[:TOP]
        run[qid] = [ids[i] for i in order if scores[i] > 0]
    return run


# The site --------------------------------------------------------------------------

def exchange(env: dict, *args: str) -> float:
    """Run an exchange command; seconds taken."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "exchange.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL if args[:1] == ("search",) else None)
    return time.perf_counter() - start


def site_run(env: dict, questions: dict[str, str], work: Path) -> tuple[dict[str, list[str]], float]:
    """Ask every question of /api/v1/search (in a fresh process with ``env``): ranked ids, ms per question."""
    asked, answered = work / "questions.json", work / "answers.json"
    asked.write_text(json.dumps(questions))
    with open(work / "ask.log", "w") as log:  # one request log line per question: kept out of the table's way
        subprocess.run([sys.executable, "-m", "bench.relevance", "ask", str(asked), str(answered)], env=env,
                       check=True, stderr=log)
    found = json.loads(answered.read_text())
    return found["run"], found["ms"]


def ask(asked: Path, answered: Path) -> None:
    """In this process: the app from the environment, each question through the API's test client."""
    from exchange import create_app

    questions = json.loads(asked.read_text())
    client = create_app().test_client()
    run, started = {}, time.perf_counter()
    for qid, text in questions.items():
        response = client.get("/api/v1/search", query_string={"q": text, "per_page": TOP})
        assert response.status_code == 200, (qid, response.status_code, response.get_data(as_text=True)[:300])
        run[qid] = [hit["slug"].removeprefix("cisi-") for hit in response.get_json()["results"]]
    ms = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
    answered.write_text(json.dumps({"run": run, "ms": ms}))


def endorse_at_random(env: dict, seed: int) -> None:
    """Give every article an endorsement score drawn at random, as endorsements would (DESIGN 4):
    a few endorsements (weight 1) and adoptions (weight 3) for some, none for most."""
    code = (
        "import random, sqlalchemy as sa\n"
        "from exchange import create_app\n"
        "from exchange.db import db\n"
        "from exchange.articles.models import Article\n"
        f"rng = random.Random({seed})\n"
        "with create_app().app_context():\n"
        "    for article in db.session.scalars(sa.select(Article).order_by(Article.id)):\n"
        "        n = rng.choice([0, 0, 0, 0, 1, 1, 2, 3, 5, 8, 13])\n"
        "        article.score = float(sum(rng.choice([1, 1, 1, 3]) for _ in range(n)))\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


# Scoring ---------------------------------------------------------------------------

MEASURES = ("nDCG@10", "AP@100", "R@100")
LABELS = {"nDCG@10": "nDCG@10", "AP@100": "MAP@100", "R@100": "Recall@100"}


def evaluate(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean of each measure over the judged questions (ir-measures); a question with no results scores 0."""
    import ir_measures

    measures = [ir_measures.parse_measure(m) for m in MEASURES]
    scored = {qid: {doc: float(TOP - rank) for rank, doc in enumerate(ranked[:TOP])}
              for qid, ranked in run.items() if ranked and qid in qrels}
    totals = dict.fromkeys(MEASURES, 0.0)
    for metric in ir_measures.iter_calc(measures, qrels, scored):
        totals[str(metric.measure)] += metric.value
    return {name: total / len(qrels) for name, total in totals.items()}


# The harness -----------------------------------------------------------------------

def backends() -> list[tuple[str, dict]]:
    """(name, environment) of each backend to measure: Whoosh always, PostgreSQL when a database is given."""
    found = [("Whoosh", {"EXCHANGE_SEARCH_BACKEND": "whoosh"})]
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        found.append(("PostgreSQL", {"EXCHANGE_SEARCH_BACKEND": "postgres", "EXCHANGE_DATABASE_URL": url}))
    return found


def measure(work: Path | None = None, endorsements: bool = True) -> list[dict]:
    """Every backend and the reference on CISI: one row per measured thing."""
    work = work or Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="exchange-relevance-"))
    work.mkdir(parents=True, exist_ok=True)
    docs, questions, qrels = documents(), queries(), judgments()
    library = write_library(work / "cisi-library", docs)
    rows = []
    say("relevance: reference BM25 (bm25s)")
    reference = evaluate(reference_run(docs, questions), qrels)
    rows.append({"what": "BM25 reference (bm25s, same stems and stop words)", **reference})
    for name, settings in backends():
        folder = work / name.lower()
        folder.mkdir(exist_ok=True)
        env = {**os.environ, "EXCHANGE_DATABASE_URL": f"sqlite:///{folder / 'exchange.db'}",
               "EXCHANGE_SEARCH_INDEX": str(folder / "index"), "EXCHANGE_SECRET_KEY": "bench",
               "EXCHANGE_RATELIMIT_ENABLED": "false", **settings}
        say(f"relevance: {name}: db upgrade, content load, search reindex")
        exchange(env, "db", "upgrade")
        exchange(env, "content", "load", str(library))
        exchange(env, "search", "reindex")
        say(f"relevance: {name}: {len(questions)} questions through /api/v1/search")
        run, ms = site_run(env, questions, folder)
        figures = evaluate(run, qrels)
        rows.append({"what": f"{name}, through content load, reindex and /api/v1/search", **figures,
                     "ms": ms, "reference": reference})
        if endorsements:
            say(f"relevance: {name}: endorsements at random, reindex, questions again")
            endorse_at_random(env, SEED)
            exchange(env, "search", "reindex")
            endorsed, _ = site_run(env, questions, folder)
            shaken = evaluate(endorsed, qrels)
            _clear_scores(env)
            exchange(env, "search", "reindex")
            rows.append({"what": f"{name}, endorsements assigned at random", **shaken, "plain": figures})
    return rows


def _clear_scores(env: dict) -> None:
    code = ("import sqlalchemy as sa\nfrom exchange import create_app\nfrom exchange.db import db\n"
            "from exchange.articles.models import Article\n"
            "with create_app().app_context():\n"
            "    db.session.execute(sa.update(Article).values(score=0.0))\n    db.session.commit()\n")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def render(rows: list[dict]) -> str:
    """The relevance table, with each budget's verdict."""
    header = ("what", *[LABELS[m] for m in MEASURES], "budget", "")
    lines = []
    for row in rows:
        figures = [f"{row[m]:.4f}" for m in MEASURES]
        if "reference" in row:
            budget, met = "nDCG@10 ≥ reference", row["nDCG@10"] >= row["reference"]["nDCG@10"]
            gain = row["nDCG@10"] - row["reference"]["nDCG@10"]
            budget += f" ({gain:+.4f}); {row['ms']:.0f} ms a question (100 results)"
        elif "plain" in row:
            drop = 1 - row["nDCG@10"] / row["plain"]["nDCG@10"] if row["plain"]["nDCG@10"] else 0.0
            budget, met = f"nDCG@10 drop ≤ 2% ({drop:+.2%})", drop <= NDCG_DROP_BUDGET
        else:
            budget, met = "yardstick", None
        lines.append((row["what"], *figures, budget, "" if met is None else ("met" if met else "MISSED")))
    widths = [max(len(str(r[i])) for r in [header, *lines]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    out = ["Relevance on CISI (1,460 abstracts, 76 judged questions, top 100)", line(header),
           "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, lines)]
    return "\n".join(out)


def main() -> None:
    table = render(measure())
    print(table)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "ask":
        ask(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
