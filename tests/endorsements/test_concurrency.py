"""Several worker processes endorsing and withdrawing the same article at once keep the totals exact."""
import multiprocessing
from collections import Counter

import pytest

from exchange.endorsements.ranking import BASE_WEIGHT, OWN_AGENCY_FACTOR

ROUNDS = 6
PROCESSES = 4


def _work(config, tokens, slug, barrier, failures):
    """One worker process: endorse, adopt and withdraw repeatedly, ending endorsed (adopt if odd)."""
    from exchange import create_app

    app = create_app({**config, "ENDORSE_RATE_LIMIT": "100000 per minute"})
    client = app.test_client()
    path = f"/api/v1/articles/{slug}/endorsement"
    barrier.wait()
    for round_number in range(ROUNDS):
        for index, token in enumerate(tokens):
            headers = {"Authorization": f"Bearer {token}"}
            steps = [("put", "adopt"), ("delete", None), ("put", "endorse"),
                     ("put", "adopt" if index % 2 else "endorse")]
            if round_number % 2:
                steps.insert(0, ("delete", None))
            for method, kind in steps:
                if method == "put":
                    response = client.put(path, json={"kind": kind, "note": f"round {round_number}"}, headers=headers)
                else:
                    response = client.delete(path, headers=headers)
                if response.status_code not in (200, 204):
                    failures.put(f"{method} {kind}: {response.status_code} {response.get_data(as_text=True)[:200]}")
    app.extensions["exchange.db"].kw["bind"].dispose()


def _expected(rows, owner_agency_id):
    """Count and score computed here, independently, from the endorsement rows in time order."""
    seen = Counter()
    score = 0.0
    for kind, agency_id in rows:
        seen[agency_id] += 1
        score += BASE_WEIGHT[kind] * (OWN_AGENCY_FACTOR if agency_id == owner_agency_id else 1) / seen[agency_id]
    return len(rows), score


def test_concurrent_endorsements_and_withdrawals_end_exact(app, config, make, client):
    import sqlalchemy as sa

    from exchange.db import db
    from exchange.endorsements.models import Endorsement

    article = make.article()
    shared = make.agency()
    users = [make.user(agency=shared) for _ in range(4)] + [make.user(agency=article.agency)] + \
            [make.user() for _ in range(3)]
    tokens = [make.token(user) for user in users]
    context = multiprocessing.get_context("spawn")
    barrier, failures = context.Barrier(PROCESSES), context.Queue()
    workers = [context.Process(target=_work, args=(config, tokens[i::PROCESSES], article.slug, barrier, failures))
               for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert all(worker.exitcode == 0 for worker in workers)
    problems = []
    while not failures.empty():
        problems.append(failures.get())
    assert problems == []

    with app.app_context():
        rows = db.session.execute(sa.select(Endorsement.kind, Endorsement.agency_id)
                                  .where(Endorsement.article_id == article.id)
                                  .order_by(Endorsement.created_at, Endorsement.id)).all()
    count, score = _expected(rows, article.agency_id)
    totals = client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]
    assert count == len(users)
    assert totals["count"] == count
    assert totals["adoptions"] == sum(1 for kind, _ in rows if kind == "adopt")
    assert totals["agencies"] == len({agency_id for _, agency_id in rows})
    assert totals["score"] == pytest.approx(score, abs=1e-4)
