"""Full-text search: one interface, a Whoosh backend, a null backend (PostgreSQL follows).

Search listens to committed changes (``indexing``); nothing else calls it to write.
"""


def init_app(app) -> None:
    """Bind the configured search backend and its listeners to the app."""
    from exchange.search import indexing
    from exchange.search.backends import KEY, make_search

    search = make_search(app.config)
    app.extensions[KEY] = search
    if search.backend.records_changes:
        indexing.listen(app)


def deferred(session):
    """Bulk work (e.g. loading content): queue its index changes and apply them once, at the end.

    ``with search.deferred(db.session): ...``
    """
    from exchange.search.indexing import deferred as deferring

    return deferring(session)


def index_ready() -> bool:
    """Whether search can answer (for /healthz): the index exists and can be opened."""
    from exchange.search.backends import configured

    try:
        return configured().backend.exists()
    except OSError:
        return False
