"""Documents other than articles in the index (challenges), each kind in an id space of its own.

Search sits below the domains that own such documents, so a domain registers a ``Source`` from
its ``init_app`` (``add_source``). The index keeps a source's documents at ``offset + row id``
(article ids stay below ``OFFSET``); indexing, checks, rebuilds and results reach its rows only
through the source's functions, and results link to the source's own pages.
"""
from collections.abc import Callable
from dataclasses import dataclass

OFFSET = 1_000_000_000  # the first id outside the articles' space (PostgreSQL's index ids are 32-bit)


@dataclass(frozen=True)
class Source:
    """A kind of document that is not an article: where its rows are, and how they become documents."""

    kind: str  # the documents' kind: a value of the kind facet and filter ("challenge")
    label: str  # that value as people read it ("Challenge")
    offset: int  # index id = offset + row id
    model: type  # its ORM class: a flushed change to one queues its index entry
    indexed: tuple[str, ...]  # the attributes whose change re-indexes a row
    documents: Callable  # (session, row ids, seq) -> SearchDocument of those public now (index ids)
    versions: Callable  # (session) -> {row id: (slug, version)} of every public row
    public: Callable  # (connection, row ids) -> the row ids that are public now
    slugs: Callable  # (session, row ids) -> {row id: slug} of those that exist
    of_tag: Callable  # (tag id) -> a select of the row ids that have that topic
    of_agency: Callable  # (agency id) -> a select of the row ids of that agency
    path: str  # its page, e.g. "/challenges/{slug}"


_SOURCES: dict[str, Source] = {}


def add_source(source: Source) -> None:
    """Index ``source``'s documents too (idempotent: each app's ``init_app`` calls it)."""
    _SOURCES[source.kind] = source


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda source: source.offset)


def kinds() -> dict[str, str]:
    """The kinds of the sources' documents with their labels."""
    return {source.kind: source.label for source in sources()}


def source_of(index_id: int) -> tuple[Source | None, int]:
    """The source an index id belongs to (None: an article) and its row id."""
    for source in reversed(sources()):
        if index_id >= source.offset:
            return source, index_id - source.offset
    return None, index_id


def split(ids) -> tuple[set[int], dict[str, set[int]]]:
    """Index ids as article ids and, per source kind, row ids."""
    articles, rows = set(), {}
    for index_id in ids:
        source, row = source_of(index_id)
        if source is None:
            articles.add(index_id)
        else:
            rows.setdefault(source.kind, set()).add(row)
    return articles, rows


def by_kind(kind: str) -> Source:
    return _SOURCES[kind]


def path_of(kind: str, slug: str) -> str:
    """The page of a result: its source's, or the article's."""
    source = _SOURCES.get(kind)
    return source.path.format(slug=slug) if source else f"/articles/{slug}"
