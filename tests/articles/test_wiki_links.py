"""Wiki links are capped per article and resolved in a few set-based queries, so a save never holds the lock long."""
from itertools import product
from string import ascii_lowercase

import sqlalchemy as sa

from tests.conftest import bearer


def _body(count: int) -> str:
    names = ("".join(letters) for letters in product(ascii_lowercase, repeat=3))
    return " ".join(f"[[{name}]]" for name, _ in zip(names, range(count), strict=False))


def test_more_than_500_distinct_links_is_422_naming_the_count(client, make):
    headers = bearer(make.token(make.user()))
    body = _body(12_000)
    assert len(body) < 100_000
    response = client.post("/api/v1/articles", headers=headers, json={
        "title": "Link farm", "kind": "case_study", "summary": "S.", "body": body})
    assert response.status_code == 422
    message = response.json["error"]["message"]
    assert "12,000" in message and "500" in message and "body" in response.json["error"]["fields"]


def test_500_links_are_resolved_in_a_few_queries(app, make):
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article
    from exchange.db import db

    author = make.user()
    found = make.article(author=author, title="Aah")  # the eighth link, [[aah]], by title
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", note)
        try:
            article = create_article(get_user(author.id), {
                "title": "Many links", "kind": "case_study", "summary": "S.", "body": _body(500),
                "status": "published"})
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "articles" in s]
    assert len(reads) < 20, len(reads)
    assert f'href="/articles/{found.slug}"' in article.html
