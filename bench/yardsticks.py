"""Yardsticks measured on the same corpus in the same run: naive Whoosh and SQLite FTS5."""
import sqlite3
import time
from pathlib import Path

from whoosh import fields, index
from whoosh.qparser import QueryParser


def naive_whoosh_build(docs: list[tuple[dict, str]], directory: Path) -> float:
    """Index with one writer and default settings; returns documents per second."""
    schema = fields.Schema(slug=fields.ID(stored=True, unique=True), title=fields.TEXT(stored=True),
                           summary=fields.TEXT, body=fields.TEXT)
    directory.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(directory), schema)
    start = time.perf_counter()
    writer = ix.writer()
    for meta, body in docs:
        writer.add_document(slug=meta["slug"], title=meta["title"], summary=meta["summary"], body=body)
    writer.commit()
    return len(docs) / (time.perf_counter() - start)


def naive_whoosh_latencies(directory: Path, queries: list[str], rounds: int = 3) -> list[float]:
    """Milliseconds per query, top 10, no facets, a searcher per query as a site would."""
    ix = index.open_dir(str(directory))
    parser = QueryParser("body", ix.schema)
    times = []
    for _ in range(rounds):
        for text in queries:
            start = time.perf_counter()
            with ix.searcher() as searcher:
                results = searcher.search(parser.parse(text), limit=10)
                [hit["slug"] for hit in results]
            times.append((time.perf_counter() - start) * 1000)
    return times


def fts5_build(docs: list[tuple[dict, str]], path: Path) -> tuple[sqlite3.Connection, float]:
    """SQLite FTS5 with Porter stemming; returns the connection and documents per second."""
    connection = sqlite3.connect(str(path))
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, summary, body, "
                       "tokenize='porter unicode61 remove_diacritics 2')")
    start = time.perf_counter()
    connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                           ((m["slug"], m["title"], m["summary"], b) for m, b in docs))
    connection.commit()
    return connection, len(docs) / (time.perf_counter() - start)


def fts5_latencies(connection: sqlite3.Connection, queries: list[str], rounds: int = 3) -> list[float]:
    times = []
    for _ in range(rounds):
        for text in queries:
            start = time.perf_counter()
            connection.execute("SELECT slug, snippet(docs, 3, '<mark>', '</mark>', '…', 12) FROM docs "
                               "WHERE docs MATCH ? ORDER BY bm25(docs, 10.0, 3.0, 1.0) LIMIT 10", (text,)).fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
