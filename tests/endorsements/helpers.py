"""Test helpers shared by the endorsement, curation and home tests: counting SQL, making many articles fast."""
import uuid
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa

from exchange.db import utcnow


@contextmanager
def counting_statements(app):
    """Collect every SQL statement the app's engine sends while the block runs (and the reads made on its
    pooled connections directly: the data version's)."""
    from exchange.pagecache import RAW_READ_OBSERVERS

    engine = app.extensions["exchange.db"].kw["bind"]
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    RAW_READ_OBSERVERS.append(statements.append)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
        RAW_READ_OBSERVERS.remove(statements.append)


def bulk_articles(app, count, authors, tags=("open-data", "social-media", "crowd-voting"), endorsers=()):
    """Insert ``count`` published articles directly (fast), each with tags and endorsements.

    ``authors`` and ``endorsers`` are users; endorsements are spread over the last 200 days.
    """
    from exchange.articles.models import Article, Tag, article_tags
    from exchange.db import db
    from exchange.endorsements import ranking
    from exchange.endorsements.models import Endorsement

    now = utcnow()
    with app.app_context():
        tag_ids = []
        for slug in tags:
            tag_id = db.session.scalar(sa.select(Tag.id).where(Tag.slug == slug))
            if tag_id is None:
                tag = Tag(slug=slug, name=slug.replace("-", " ").title())
                db.session.add(tag)
                db.session.flush()
                tag_id = tag.id
            tag_ids.append(tag_id)
        batch = uuid.uuid4().hex[:6]
        rows = []
        for n in range(count):
            author = authors[n % len(authors)]
            rows.append(dict(
                slug=f"bulk-{batch}-{n}", title=f"Bulk practice {batch} {n}", kind=("case_study", "playbook")[n % 2],
                summary="A practice made in bulk.", body="Text.", html="<p>Text.</p>", text="Text.",
                agency_id=author.agency_id, author_id=author.id, status="published", revision=1,
                published_at=now - timedelta(hours=n), created_at=now - timedelta(hours=n),
                updated_at=now - timedelta(hours=n),
            ))
        db.session.execute(sa.insert(Article), rows)
        ids = list(db.session.scalars(sa.select(Article.id).where(Article.slug.like(f"bulk-{batch}-%"))))
        db.session.execute(sa.insert(article_tags), [
            {"article_id": article_id, "tag_id": tag_id}
            for article_id in ids for tag_id in tag_ids[: 1 + article_id % 3]])
        endorsements = []
        for i, article_id in enumerate(ids):
            for j, endorser in enumerate(endorsers[: i % (len(endorsers) + 1)]):
                created = now - timedelta(days=(i * 7 + j * 13) % 200)
                weight = 3.0 if (i + j) % 3 == 0 else 1.0
                endorsements.append(dict(
                    article_id=article_id, user_id=endorser.id, agency_id=endorser.agency_id,
                    kind="adopt" if weight == 3.0 else "endorse", weight=weight,
                    trend_weight=ranking.trend_weight(weight, created), created_at=created, updated_at=created))
        if endorsements:
            db.session.execute(sa.insert(Endorsement), endorsements)
            totals = {}
            for row in endorsements:
                total = totals.setdefault(row["article_id"], {"score": 0.0, "endorsement_count": 0})
                total["score"] += row["weight"]
                total["endorsement_count"] += 1
            db.session.execute(sa.update(Article), [{"id": k, "agency_count": 1, **v} for k, v in totals.items()])
        db.session.commit()
        return ids


def bulk_endorsements(app, article, count, agencies):
    """``count`` new people (spread over ``agencies``) endorse ``article`` through the service (no passwords: fast)."""
    from exchange.accounts.models import User
    from exchange.articles.services import get_article
    from exchange.db import db, utcnow
    from exchange.endorsements import services

    batch = uuid.uuid4().hex[:6]
    with app.app_context():
        db.session.execute(sa.insert(User), [
            {"email": f"crowd-{batch}-{n}@example.gov", "name": f"Crowd {n}",
             "agency_id": agencies[n % len(agencies)].id, "verified_at": utcnow()}
            for n in range(count)])
        db.session.commit()
        people = db.session.scalars(sa.select(User).where(User.email.like(f"crowd-{batch}-%"))).all()
        for n, person in enumerate(people):
            services.endorse(person, get_article(person, article.slug), ("endorse", "adopt")[n % 2])
