"""A separate writer process: ``python -m tests.search.writer_process CONFIG AUTHOR_ID PREFIX COUNT [die]``.

It makes its own app on the test's database and index and publishes COUNT articles. With
``die`` it kills itself (SIGKILL) the moment it starts writing its first change to the index:
the database change is committed and the index write lock is held.
"""
import json
import os
import signal
import sys


def main(config: str, author_id: str, prefix: str, count: str, mode: str = "") -> None:
    from exchange import create_app

    app = create_app(json.loads(config))
    if mode == "die":
        import whoosh.writing

        whoosh.writing.SegmentWriter.update_document = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
    with app.app_context():
        from exchange.accounts.services import get_user
        from exchange.articles.services import create_article

        author = get_user(int(author_id))
        for n in range(int(count)):
            create_article(author, {"title": f"{prefix} practice {n}", "kind": "case_study", "status": "published",
                                    "summary": f"{prefix} summary.", "body": f"Written by {prefix} in parallel."})


if __name__ == "__main__":
    main(*sys.argv[1:])
