"""The Whoosh backend: one writer at a time, a searcher kept per thread, rebuilds beside the live index."""
import itertools
import logging
import threading
import time
import weakref
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from whoosh import index
from whoosh.collectors import TimeLimit, TimeLimitCollector

from exchange.search.interface import (
    IndexBusy,
    IndexWriter,
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResults,
)
from exchange.search.whoosh import arrays
from exchange.search.whoosh.related import related
from exchange.search.whoosh.schema import (
    MATCH_FIELD,
    TITLE_FIELD,
    VOCABULARY_WORDS,
    fields_for,
    vocabulary,
    written_words,
)
from exchange.search.whoosh.searching import FacetTable, open_searcher, run_search
from exchange.search.whoosh.store import IndexStore
from exchange.search.whoosh.vector import VectorIndex

log = logging.getLogger(__name__)
READ_ATTEMPTS = 3
SPELLING_CANDIDATES = 500  # words within two edits of one typed word, at most


class WhooshBackend(SearchBackend):
    """An index in ``root`` (``SEARCH_INDEX``), in generations (see ``store``)."""

    name = "whoosh"

    def __init__(self, root, time_limit: float = 0.5, limitmb: int = 256, procs: int = 1):
        self.store = IndexStore(root)
        self._local = threading.local()
        self._open: set = set()  # every thread's reading
        weakref.finalize(self, _close_all, self._open)
        self.time_limit = time_limit
        self.limitmb = limitmb
        self.procs = procs
        self._warming = threading.Lock()  # guards the two below
        self._warmer: threading.Thread | None = None
        self._warm_again = False

    # Writing ------------------------------------------------------------------

    @contextmanager
    def writer(self, timeout: float):
        """Hold the live index's write lock (IndexBusy after ``timeout``); commit on a clean exit."""
        with _committing(self._acquire_live(timeout)) as writer:
            yield writer
        if writer.changed:
            self.warm_up()

    def _acquire_live(self, timeout: float):
        """A Whoosh writer on the live generation, whichever that is once we hold its lock."""
        deadline = time.monotonic() + timeout
        while True:
            self.store.ensure(timeout)
            name = self.store.current_name()
            live = self.store.open(name)
            if live is not None:
                writer = _open_writer(live, max(deadline - time.monotonic(), 0))
                if self.store.current_name() == name:
                    return writer
                writer.cancel()  # a rebuild swapped generations while we waited: write to the new one
            if time.monotonic() > deadline:
                raise IndexBusy("The search index is being rebuilt.")

    def rebuild(self, documents, reconcile, progress=None) -> None:
        """Fill a new generation with one fast writer, catch up while holding the live one, swap."""
        previous = self.store.current_name()
        name, fresh = self.store.new_generation()
        try:
            writer = fresh.writer(procs=self.procs, limitmb=self.limitmb, multisegment=self.procs > 1, compound=False)
            try:
                written = Counter()
                for document in documents:
                    writer.add_document(**fields_for(document, spelling=False))
                    written.update(written_words(document))
                    if progress:
                        progress(1)
                for words in _chunks(sorted(vocabulary(written).items()), VOCABULARY_WORDS):
                    writer.add_document(spelling=" ".join(f"{word}:{count}" for word, count in words))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            with self._holding_live():
                with _committing(_open_writer(fresh, 0)) as catch_up:
                    reconcile(catch_up)
                self.store.swap(name)
        except BaseException:
            self.store.prune(keep={n for n in (self.store.current_name(), previous) if n})
            raise
        self.store.prune(keep={name, previous} - {None})
        self.warm_up()

    @contextmanager
    def _holding_live(self):
        """Keep every other writer out of the live index (or out of creating one)."""
        if self.store.current_name() is None:
            with self.store.lock("create", timeout=60):
                yield
            return
        writer = self._acquire_live(timeout=60)
        try:
            yield
        finally:
            writer.cancel()

    # Warming ------------------------------------------------------------------

    def warm_up(self) -> None:
        """Read the live index's arrays in the background, so the next search finds them read.

        Called after each commit of this process and when a worker starts. One warming thread
        at a time: a commit while it runs makes it go round once more.
        """
        with self._warming:
            if self._warmer is not None:
                self._warm_again = True
                return
            self._warmer = threading.Thread(target=self._warm, name="search-warm-up", daemon=True)
            self._warmer.start()

    def _warm(self) -> None:
        while True:
            try:
                self._warm_once()
            except Exception as error:  # noqa: BLE001 - warming is a head start; the search reads what it needs
                log.info("search warm-up skipped: %s", error)
            with self._warming:
                if not self._warm_again:
                    self._warmer = None
                    return
                self._warm_again = False

    def _warm_once(self) -> None:
        live = self.store.open()
        if live is None:
            return
        searcher = open_searcher(live)
        try:
            reader = searcher.reader()
            FacetTable(reader)
            VectorIndex(searcher, searcher.weighting)
            arrays.warm(reader, length_fields=[MATCH_FIELD, TITLE_FIELD])
        finally:
            searcher.close()

    def wait_warm(self, timeout: float = 30) -> None:
        """Wait for the warming thread, if one runs (for the benchmark and tests)."""
        warmer = self._warmer
        if warmer is not None:
            warmer.join(timeout)

    # Reading ------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        """Search the live generation (no index at all: search cannot answer, nor can /healthz)."""
        unavailable = SearchResults(request=request, unavailable=True)
        return self._read(lambda reading: run_search(reading.searcher, request, self._time_limited, reading.facets,
                                                     reading.vectors), unavailable)

    def related(self, document: SearchDocument, limit: int) -> list[tuple[int, float]]:
        """The articles most like ``document`` on its key terms (``related``); none without an index."""
        return self._read(lambda reading: related(reading.searcher, reading.vectors, document, limit), [])

    def _read(self, action, otherwise):
        """``action(reading)`` on the live generation; a segment that vanishes under us (a merge) means: try again."""
        for attempt in range(READ_ATTEMPTS):
            try:
                reading = self._reading()
                if reading is None:
                    return otherwise
                return action(reading)
            except (OSError, index.IndexError) as error:
                self._drop_reading()
                log.warning("search retry %d after %s", attempt + 1, error)
                time.sleep(0.02 * (attempt + 1))
        return otherwise

    def _reading(self) -> "_Reading | None":
        """This thread's searcher on the live index, kept between searches until the index changes."""
        name = self.store.current_name()
        reading = getattr(self._local, "reading", None)
        if reading is not None and reading.name == name and reading.searcher.up_to_date():
            return reading
        self._drop_reading()
        live = self.store.open(name) if name else None
        if live is None:
            return None
        searcher = open_searcher(live)
        try:
            reading = _Reading(name, searcher, FacetTable(searcher.reader()), VectorIndex(searcher, searcher.weighting))
        except BaseException:
            searcher.close()
            raise
        self._local.reading = reading
        # Its files are closed when it is replaced, when its thread ends, or with this backend.
        self._open.add(reading)
        weakref.finalize(threading.current_thread(), _close, self._open, reading)
        return reading

    def _drop_reading(self) -> None:
        reading = getattr(self._local, "reading", None)
        self._local.reading = None
        if reading is not None:
            _close(self._open, reading)

    def _time_limited(self, searcher, whoosh_query, collector) -> tuple[bool, list[int]]:
        """Run the search within the time limit: (cut short?, every match's document number)."""
        timed = DeadlineCollector(collector, timelimit=self.time_limit)
        try:
            searcher.search_with_collector(whoosh_query, timed)
            return False, timed.found
        except TimeLimit:
            return True, timed.found

    def knows(self, word: str) -> bool:
        reading = self._reading()
        return reading is None or reading.searcher.doc_frequency("spelling", word) > 0

    def spelling_candidates(self, word: str) -> list[str]:
        """Words of the spelling vocabulary within two edits, the first letter kept."""
        reading = self._reading()
        if reading is None:
            return []
        found = reading.searcher.reader().terms_within("spelling", word, 2, prefix=1)
        return list(itertools.islice(found, SPELLING_CANDIDATES))

    def versions(self) -> dict[int, str]:
        live = self.store.open()
        if live is None:
            return {}
        with live.reader() as reader:
            return _versions(reader)

    def exists(self) -> bool:
        return self.store.open() is not None

    def check_writable(self) -> None:
        self.store.check_writable()


@dataclass(eq=False)
class _Reading:
    name: str  # the generation it reads
    searcher: object
    facets: FacetTable
    vectors: VectorIndex


def _close(readings: set, reading: _Reading) -> None:
    if reading in readings:
        readings.discard(reading)
        reading.searcher.close()


def _close_all(readings: set) -> None:
    for reading in list(readings):
        _close(readings, reading)


class DeadlineCollector(TimeLimitCollector):
    """Whoosh's time limit without its timer thread (one per search) or its signal (main thread only).

    It looks at the clock after each match (a clock read costs far less than a match) and
    raises TimeLimit once the deadline has passed; what was collected so far stays available
    as partial results.
    """

    def __init__(self, child, timelimit: float):
        super().__init__(child, timelimit, use_alarm=False)
        self.deadline = 0.0

    def prepare(self, top_searcher, q, context):
        self.child.prepare(top_searcher, q, context)
        self.timedout = False
        self.deadline = time.monotonic() + self.timelimit
        self.found = []  # the document number of every match, for counting facets

    def collect_matches(self):
        child, deadline, clock, found, offset = self.child, self.deadline, time.monotonic, self.found, self.child.offset
        for sub_docnum in child.matches():
            child.collect(sub_docnum)
            found.append(offset + sub_docnum)
            if clock() > deadline:
                self.timedout = True
                raise TimeLimit

    def finish(self):
        self.child.finish()


class _Writer(IndexWriter):
    """Our writes on a Whoosh writer; it commits only if something changed."""

    def __init__(self, writer):
        self.whoosh = writer
        self.changed = False

    def update(self, documents) -> None:
        for document in documents:
            self.whoosh.update_document(**fields_for(document))
            self.changed = True

    def remove(self, ids, seq: int = 0) -> None:
        # No order needed: writers hold the index's lock while they read the articles (indexing.apply_pending).
        for article_id in ids:
            self.whoosh.delete_by_term("id", str(article_id))
            self.changed = True

    def versions(self) -> dict[int, str]:
        with self.whoosh.reader() as reader:
            return _versions(reader)


def _open_writer(ix, timeout: float):
    try:
        # Not compound: Whoosh reads a compound segment by copying each of its files into memory
        # (a worker held 1.4 GB at 100,000 articles); plain files are mapped and read as needed.
        return ix.writer(timeout=timeout, compound=False)
    except index.LockError:
        raise IndexBusy("Another process is writing to the search index.") from None


@contextmanager
def _committing(whoosh_writer):
    """Our writer on ``whoosh_writer``: committed after a clean exit, cancelled otherwise."""
    writer = _Writer(whoosh_writer)
    try:
        yield writer
    except BaseException:
        whoosh_writer.cancel()
        raise
    if writer.changed:
        whoosh_writer.commit()
    else:
        whoosh_writer.cancel()


def _versions(reader) -> dict[int, str]:
    """Indexed article ids with their versions, read from columns (no stored text is loaded).

    The vocabulary documents of a rebuild have no id."""
    if not reader.doc_count():
        return {}
    ids = reader.column_reader("id")
    versions = reader.column_reader("version")
    found = {}
    for docnum in reader.all_doc_ids():
        try:
            article_id = ids[docnum]
        except IndexError:  # a segment's column ends at its last document with an id
            continue
        if article_id:
            found[int(article_id)] = versions[docnum]
    return found


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
