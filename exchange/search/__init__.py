"""Full-text search: one interface, a Whoosh backend, a null backend (PostgreSQL follows).

Search listens to committed changes (``indexing``); nothing else calls it to write.
"""


def init_app(app) -> None:
    """Bind the configured search backend, its listeners, pages and commands to the app."""
    from exchange.search import api, cli, indexing, routes
    from exchange.search.backends import KEY, make_search

    search = make_search(app.config)
    app.extensions[KEY] = search
    if search.backend.records_changes:
        indexing.listen(app)
    app.register_blueprint(routes.bp)
    api.init_app(app)
    app.cli.add_command(cli.search_group)


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
