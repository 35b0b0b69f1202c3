"""Full-text search: one interface, three backends (Whoosh, PostgreSQL, null), chosen by ``SEARCH_BACKEND``.

Search listens to committed changes (``indexing``); nothing else calls it to write.

- ``interface``: what every backend offers, what goes in and comes out; the null backend.
- ``whoosh/``: the Whoosh backend (``backend``), its ``schema``, index ``store``, ``query``
  compiling, ``searching``, numpy scoring (``vector``) and ``snippets``.
- ``postgres``: the PostgreSQL backend, for several app servers sharing one database.
- ``backends``: the backend the configuration names, and the app's search settings.
- ``services``: a search for the page and the API; ``query``: what people type, cleaned, with
  synonyms; ``spelling``: the rules of "did you mean"; ``blend``: how relevance and endorsement
  combine into one score.
- ``documents``: articles as the index sees them; ``indexing``: changes applied after commit;
  ``maintenance``: check and rebuild; ``models``: pending changes and the search log;
  ``analytics``: what people look for and do not find.
- ``related``: the related practices beside each article (``whoosh/related``, ``postgres_related``).
- ``routes``, ``api``, ``cli``: the search pages, the JSON endpoints, ``exchange search``.
"""


def init_app(app) -> None:
    """Bind the configured search backend and its listeners to the app."""
    from exchange.search import indexing, spelling
    from exchange.search.backends import KEY, make_search
    from exchange.templating import add_page_part

    search = make_search(app.config)
    app.extensions[KEY] = search
    if search.backend.records_changes:
        indexing.listen(app)
        spelling.warm_up()
    add_page_part(app, "article", _related_part)


def _related_part(article) -> dict:
    """The article page's related practices (``related_html``: the same for every reader)."""
    from exchange.pagecache import shared_section
    from exchange.search.related import related_practices

    return {"related_html": shared_section("search/_related.html", article,
                                           lambda: {"related": related_practices(article)})}


def deferred(session):
    """Bulk work (e.g. loading content): queue its index changes and apply them once, at the end.

    ``with search.deferred(db.session): ...``
    """
    from exchange.search.indexing import deferred as deferring

    return deferring(session)


def warm_up(app) -> None:
    """Start reading the index ahead of the first searches (gunicorn.conf.py, when a worker starts); nothing
    for an app without search (the bench's ceiling, served with the same settings)."""
    from exchange.search.backends import KEY, configured

    if KEY in getattr(app, "extensions", {}):
        configured(app).backend.warm_up()


def index_ready() -> bool:
    """Whether search can answer (for /healthz): the index exists and can be opened."""
    from exchange.search.backends import configured

    try:
        return configured().backend.exists()
    except OSError:
        return False
