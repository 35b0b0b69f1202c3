"""What every search backend offers, what goes in and comes out, and the null backend.

A backend is a plain index: it knows nothing of the database. The search service
(``exchange.search.services``) turns articles into ``SearchDocument`` values, and
``indexing`` decides when to write them.
"""
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

SORTS = ("relevance", "top", "new")
FACETS = ("kind", "tag", "agency", "evidence_level", "stage", "country", "level")


class IndexBusy(Exception):
    """Another process held the index for longer than we were willing to wait."""


@dataclass(frozen=True)
class SearchDocument:
    """One published article as the index sees it."""

    id: int
    slug: str
    title: str
    kind: str
    summary: str
    body: str
    tags: tuple[tuple[str, str], ...]  # (slug, name)
    agency_slug: str
    agency_name: str
    evidence_level: int | None
    stage: str | None
    published_at: datetime | None
    score: float
    version: str  # changes whenever anything indexed changes; compared by ``check``
    seq: int = 0  # the data version read just before the article: orders writes (0: unknown)
    agency_country: str = ""  # ISO 3166-1 two-letter code, "" when the agency has none
    agency_level: str = ""  # national, regional, local or other


@dataclass(frozen=True)
class ParsedQuery:
    """The user's words after cleaning: what we search for, and what we tell them about it."""

    text: str  # what is searched (shortened if it was too long)
    original: str  # what they typed, for echoing back
    shortened: bool = False
    words: tuple[str, ...] = ()  # the plain words "did you mean" may correct
    content_words: tuple[str, ...] = ()  # the words that carry meaning (no stop words), lower case, in order


@dataclass(frozen=True)
class SearchRequest:
    """A search: the words, the filters, the order and the page."""

    query: ParsedQuery
    kind: str | None = None
    tags: tuple[str, ...] = ()
    agency: str | None = None
    evidence_min: int | None = None
    stage: str | None = None
    country: str | None = None  # "GB": only agencies in GB; "-GB": only agencies outside it (``negated``)
    level: str | None = None  # "local", or "-local" for every other level
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @property
    def filters(self) -> dict:
        """The filters in use, by their query-string names."""
        found = {"kind": self.kind, "tag": self.tags, "agency": self.agency,
                 "evidence_min": self.evidence_min, "stage": self.stage, "country": self.country,
                 "level": self.level}
        return {name: value for name, value in found.items() if value not in (None, (), "")}


def negated(value: str) -> tuple[str, bool]:
    """A place filter's value and whether it excludes: "-GB" is ("GB", True), "GB" is ("GB", False)."""
    return (value[1:], True) if value.startswith("-") else (value, False)


@dataclass
class Hit:
    """One result: what the results page and the API show."""

    id: int
    slug: str
    title: str
    kind: str
    summary: str
    snippet: Markup
    tags: list[tuple[str, str]]
    agency_slug: str
    agency_name: str
    evidence_level: int | None
    stage: str | None
    published_at: datetime | None
    score: float  # the endorsement score
    relevance: float = 0.0  # the blended ranking score (0 when sorted otherwise)
    agency_country: str = ""
    agency_level: str = ""


@dataclass
class SearchResults:
    """One page of results with facet counts over the whole filtered result set."""

    request: SearchRequest
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> count
    suggestion: str | None = None
    corrected_from: str | None = None  # the query as typed, when it found nothing and these are its correction's
    partial: bool = False  # the time limit cut the search short
    unavailable: bool = False  # the index could not be read

    @property
    def page(self) -> int:
        return self.request.page

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))


class SearchBackend:
    """The interface. Writes are idempotent: indexing a document twice leaves one entry."""

    name = "abstract"
    records_changes = True  # whether the database should queue index changes for this backend

    @contextmanager
    def writer(self, timeout: float):
        """Hold the index for writing (raises IndexBusy after ``timeout`` seconds); commit on exit."""
        raise NotImplementedError
        yield

    def search(self, request: SearchRequest) -> SearchResults:
        """Run a search; never raises for anything the user typed."""
        raise NotImplementedError

    def related(self, document: SearchDocument, limit: int) -> list[tuple[int, float]]:
        """The indexed articles most like ``document`` on its key terms, never itself.

        (article id, relevance blended with endorsements), best first, at most ``limit``.
        """
        raise NotImplementedError

    def warm_up(self) -> None:
        """Prepare in the background what the first searches would otherwise read (a worker starts)."""

    def versions(self) -> dict[int, str]:
        """Every indexed article id with the version it was indexed at."""
        raise NotImplementedError

    def knows(self, word: str) -> bool:
        """Whether ``word`` (folded) is in the spelling vocabulary: a quick look before any correcting."""
        return True

    def spelling_candidates(self, word: str) -> list[str]:
        """Indexed words a few edits from ``word`` (folded): "did you mean" checks and ranks them.

        They may include words no published article holds any more; the caller checks.
        """
        return []

    def exists(self) -> bool:
        """Whether there is an index to search (it may be empty)."""
        raise NotImplementedError

    def check_writable(self) -> None:
        """Raise OSError if the index cannot be written (before a long job starts)."""

    def rebuild(self, documents, reconcile, progress=None) -> None:
        """Build a fresh index from ``documents`` beside the live one and swap it in.

        ``reconcile(writer)`` runs while the live index is held, just before the swap, to
        catch up with changes committed during the build.
        """
        raise NotImplementedError


class IndexWriter:
    """What a writer offers inside ``with backend.writer(...) as writer``."""

    def update(self, documents) -> None:
        """Index ``documents``; a backend that orders writes skips those older than what it holds."""
        raise NotImplementedError

    def remove(self, ids, seq: int = 0) -> None:
        """Remove ``ids``, found unpublished at data version ``seq`` (never a newer entry, where ordered)."""
        raise NotImplementedError

    def versions(self) -> dict[int, str]:
        raise NotImplementedError


class NullWriter(IndexWriter):
    def update(self, documents) -> None:
        pass

    def remove(self, ids, seq: int = 0) -> None:
        pass

    def versions(self) -> dict[int, str]:
        return {}


class NullBackend(SearchBackend):
    """Search switched off: every search finds nothing, every write does nothing."""

    name = "null"
    records_changes = False

    @contextmanager
    def writer(self, timeout: float):
        yield NullWriter()

    def search(self, request: SearchRequest) -> SearchResults:
        return SearchResults(request=request)

    def related(self, document: SearchDocument, limit: int) -> list[tuple[int, float]]:
        return []

    def versions(self) -> dict[int, str]:
        return {}

    def exists(self) -> bool:
        return True

    def rebuild(self, documents, reconcile, progress=None) -> None:
        for _ in documents:
            if progress:
                progress(1)
