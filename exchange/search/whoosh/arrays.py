"""What searching reads from the index, as arrays kept by segment, shared by every searcher of a worker.

A Whoosh segment never changes once written (deletions are kept beside it), and a commit adds a
segment or merges a few small ones. So a posting list, a length column or a column of values
read from a segment stays right for as long as the segment lives: kept here by segment, a new
searcher after a commit reads only what is new, and composes the rest from arrays already read.
Before, every searcher read everything again through Whoosh's Python decoders, and the first
searches after each change paid for it (p95 of about 500 ms at 10,000 articles, see bench/).

Numeric and length columns are read in one call each (the bytes as they lie in the file,
turned into numbers by numpy) instead of one value at a time. ``warm`` reads a new searcher's
arrays ahead of its first search: the backend runs it in the background after each commit and
when a worker starts.
"""
import threading
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.columns import NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from exchange.lru import SizedLRU

KEPT_BYTES = 48 * 1024 * 1024  # per worker: arrays of every segment, the least recently used dropped first
RECENT_TERMS = 256  # words and phrases searched lately: warmed in a new segment before anyone asks
PHRASE = "\x00phrase"  # marks a phrase among them (no field has this name)
_BYTE_LENGTHS = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=float)  # 0: no length


class SegmentArrays:
    """Arrays by (segment, what), within a byte budget; safe to share between threads."""

    def __init__(self, budget: int = KEPT_BYTES):
        self.kept = SizedLRU(budget)
        self.lock = threading.Lock()
        self.recent: OrderedDict = OrderedDict()  # (field, text) searched lately, newest last

    def get(self, key, read, size=None):
        """What ``key`` holds, read with ``read()`` (and kept) the first time."""
        with self.lock:
            found = self.kept.get(key)
        if found is None:
            found = read()
            with self.lock:
                self.kept.put(key, found, _nbytes(found) if size is None else size(found))
        return found

    def searched(self, *key) -> None:
        """Note a word (field, text) or a phrase (PHRASE, field, words, decode) as searched lately."""
        with self.lock:
            self.recent[key] = None
            self.recent.move_to_end(key)
            while len(self.recent) > RECENT_TERMS:
                self.recent.popitem(last=False)

    def recent_terms(self) -> list:
        with self.lock:
            return [key for key in self.recent if key[0] != PHRASE]

    def recent_phrases(self) -> list:
        with self.lock:
            return [key[1:] for key in self.recent if key[0] == PHRASE]


KEPT = SegmentArrays()


def _nbytes(value) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, tuple):
        return sum(_nbytes(part) for part in value)
    if isinstance(value, dict) and all(isinstance(part, np.ndarray) for part in value.values()):
        return 64 * (1 + len(value)) + sum(part.nbytes for part in value.values())
    if isinstance(value, (list, dict, frozenset)):
        return 64 + 16 * len(value)
    return 64


def segment_key(segment) -> tuple:
    """Names one segment of one index directory for as long as it exists."""
    return getattr(segment._storage, "folder", id(segment._storage)), segment.segment().segment_id()


def composed(reader, what: tuple, build):
    """What ``build()`` makes of a whole reader, kept for that list of segments.

    The warm-up thread builds it once after a commit, and every searcher on the same segments
    then finds it built (a deletion changes no segment's arrays: ``live`` says which count).
    """
    key = ("whole", tuple((*segment_key(segment), offset) for segment, offset in _leaves(reader)), what)
    return KEPT.get(key, build)


def _leaves(reader):
    """The segments with documents, each with its first document number (an empty index has none)."""
    return [(segment, offset) for segment, offset in reader.leaf_readers() if segment.doc_count_all()]


# Columns -----------------------------------------------------------------------------------

def numbers(reader, field: str, default: int = 0) -> np.ndarray:
    """A numeric column's value for every document number (``default`` where there is none)."""
    return composed(reader, ("numbers", field, default), lambda: _numbers(reader, field, default))


def _numbers(reader, field: str, default: int = 0) -> np.ndarray:
    parts = [KEPT.get((segment_key(segment), "numbers", field, default),
                      lambda segment=segment: _segment_numbers(segment, field, default))
             for segment, _ in _leaves(reader)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _segment_numbers(segment, field: str, default) -> np.ndarray:
    count = segment.doc_count_all()
    raw = segment.column_reader(field, translate=False)
    fieldobj = segment.schema[field]
    if not (isinstance(raw, NumericColumn.Reader) and getattr(fieldobj, "numtype", None) is int
            and not getattr(fieldobj, "decimal_places", 0)):
        return np.array([default if value is None else value for value in values_of_segment(segment, field, default)],
                        dtype=np.int64)
    # Whoosh's sortable form, big-endian; past the last value written, the column's default.
    sortable = np.full(count, int(raw._default), dtype=np.uint64)
    present = min(raw._count, count)
    if present:
        data = raw._dbfile.get(raw._basepos, present * raw._fixedlen)
        sortable[:present] = np.frombuffer(data, dtype=">" + raw._typecode, count=present)
    if fieldobj.signed:  # stored shifted up by half the range: shift back (modulo 2**64, then as signed)
        return (sortable - np.uint64(1 << (fieldobj.bits - 1))).view(np.int64)
    return sortable.astype(np.int64)


def coded(reader, field: str) -> tuple[np.ndarray, list]:
    """A column as a small whole number for every document number, and the value each number stands for.

    Facets count with these: four bytes a document however long its value, where a list of the values
    held a Python object for each (at 100,000 articles the facets took 76 MB of a worker this way)."""
    return composed(reader, ("coded", field), lambda: _coded(reader, field))


def _coded(reader, field: str) -> tuple[np.ndarray, list]:
    index: dict = {}  # value -> its number, in the order first met
    parts = []
    for segment, _ in _leaves(reader):
        codes, labels = KEPT.get((segment_key(segment), "coded", field), lambda segment=segment: _segment_coded(
            segment, field))
        renumber = np.array([index.setdefault(label, len(index)) for label in labels], dtype=np.int32)
        parts.append(renumber[codes] if len(codes) else codes)
    return (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)), list(index)


def _segment_coded(segment, field: str) -> tuple[np.ndarray, list]:
    index: dict = {}
    values = values_of_segment(segment, field)
    codes = np.fromiter((index.setdefault(value, len(index)) for value in values), dtype=np.int32, count=len(values))
    return codes, list(index)


def identifiers(reader, field: str) -> np.ndarray:
    """A text column of whole numbers (article ids) as numbers; 0 where there is none."""
    return composed(reader, ("identifiers", field), lambda: _identifiers(reader, field))


def _identifiers(reader, field: str) -> np.ndarray:
    parts = [KEPT.get((segment_key(segment), "identifiers", field),
                      lambda segment=segment: np.array([int(value or 0) for value in
                                                        values_of_segment(segment, field, "")], dtype=np.int64))
             for segment, _ in _leaves(reader)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def values_of_segment(segment, field: str, missing=None) -> list:
    """(A segment's column stops at the last document that gave the field a value.)"""
    column, count = segment.column_reader(field), segment.doc_count_all()
    found = list(column)
    if len(found) == count:
        return found
    found = []
    for docnum in range(count):
        try:
            found.append(column[docnum])
        except IndexError:
            found.append(missing)
    return found


def lengths(reader, field: str) -> np.ndarray:
    """Each document's length in ``field``, as Whoosh keeps it (one byte, approximately)."""
    return composed(reader, ("lengths", field), lambda: _lengths(reader, field))


def _lengths(reader, field: str) -> np.ndarray:
    parts = [KEPT.get((segment_key(segment), "lengths", field),
                      lambda segment=segment: _segment_lengths(segment, field))
             for segment, _ in _leaves(reader)]
    return np.concatenate(parts) if parts else np.zeros(0)


def _segment_lengths(segment, field: str) -> np.ndarray:
    """A segment's length column in one read where the codec allows it, else document by document."""
    count = segment.doc_count_all()
    per_document = getattr(segment, "_perdoc", None)
    column = None
    if hasattr(per_document, "_cached_reader"):
        column = per_document._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
    if isinstance(column, NumericColumn.Reader) and column._typecode == "B":
        codes = np.zeros(count, dtype=np.uint8)
        present = min(column._count, count)
        if present:
            codes[:present] = np.frombuffer(column._dbfile.get(column._basepos, present), dtype=np.uint8)
        return _BYTE_LENGTHS[codes]
    return np.array([segment.doc_field_length(docnum, field, 0) for docnum in range(count)], dtype=float)


def live(reader) -> np.ndarray:
    """Which document numbers are live (not deleted)."""
    parts = []
    for segment, _ in _leaves(reader):
        alive = np.ones(segment.doc_count_all(), dtype=bool)
        if segment.has_deletions():
            deleted = np.fromiter(segment.segment().deleted_docs(), dtype=np.int64)
            alive[deleted[deleted < len(alive)]] = False
        parts.append(alive)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


# Postings -----------------------------------------------------------------------------------

def postings(reader, field: str, text) -> tuple[np.ndarray, np.ndarray]:
    """Every document number with the term (deleted ones too: ``live`` leaves them out), and its weight."""
    KEPT.searched(field, text)
    ids, weights = [], []
    for segment, offset in _leaves(reader):
        segment_ids, segment_weights = KEPT.get((segment_key(segment), "postings", field, text),
                                                lambda segment=segment: _segment_postings(segment, field, text))
        if len(segment_ids):
            ids.append(segment_ids + offset)
            weights.append(segment_weights)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return (ids[0], weights[0]) if len(ids) == 1 else (np.concatenate(ids), np.concatenate(weights))


def _segment_postings(segment, field: str, text) -> tuple[np.ndarray, np.ndarray]:
    matcher = _matcher(segment, field, text)
    if matcher is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    ids, weights = _read_matcher(matcher)
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=float)


def _matcher(segment, field: str, text):
    try:
        matcher = segment.postings(field, text)
    except TermNotFound:
        return None
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher  # deletions: left to ``live``


def _read_matcher(matcher) -> tuple[list, list]:
    """A leaf matcher's ids and weights, a block at a time where the codec allows it."""
    ids, weights = [], []
    if all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block", "_i")):
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            start = matcher._i
            ids.extend(matcher._ids[start:])
            weights.extend(matcher._weights[start:])
            matcher._next_block()
        return ids, weights
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def topics(reader, field: str = "tag") -> dict[str, np.ndarray]:
    """Each value of a keyword field with the document numbers that have it (deleted ones too)."""
    return composed(reader, ("topics", field), lambda: _topics(reader, field))


def _topics(reader, field: str = "tag") -> dict[str, np.ndarray]:
    found: dict[str, list] = {}
    for segment, offset in _leaves(reader):
        for value, ids in KEPT.get((segment_key(segment), "topics", field),
                                   lambda segment=segment: _segment_topics(segment, field)).items():
            found.setdefault(value, []).append(ids + offset)
    return {value: np.concatenate(parts) for value, parts in found.items()}


def _segment_topics(segment, field: str) -> dict[str, np.ndarray]:
    found = {}
    for term in segment.lexicon(field):
        ids, _ = _segment_postings(segment, field, term)
        found[term.decode("utf-8")] = ids
    return found


def phrase_docs(reader, field: str, words: list, decode) -> np.ndarray:
    """The document numbers where ``words`` stand next to each other, in order (deleted ones too)."""
    KEPT.searched(PHRASE, field, tuple(words), decode)
    parts = []
    for segment, offset in _leaves(reader):
        local = KEPT.get((segment_key(segment), "phrase", field, tuple(words)),
                         lambda segment=segment: _segment_phrase(segment, field, words, decode))
        if len(local):
            parts.append(local + offset)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _segment_phrase(segment, field: str, words: list, decode) -> np.ndarray:
    """Positions are read only where all the words are; the phrase starts where the first word is
    and word i is i further on."""
    candidates = None
    for word in words:
        ids, _ = KEPT.get((segment_key(segment), "postings", field, word),
                          lambda word=word: _segment_postings(segment, field, word))
        candidates = ids if candidates is None else np.intersect1d(candidates, ids, assume_unique=True)
    if candidates is None or not len(candidates):
        return np.zeros(0, dtype=np.int64)
    wanted = set(candidates.tolist())
    positions = [_segment_positions(segment, field, word, wanted, decode) for word in words]
    found = []
    for docnum in candidates.tolist():
        starts = set(positions[0].get(docnum, ()))
        for i in range(1, len(words)):
            starts.intersection_update(p - i for p in positions[i].get(docnum, ()))
            if not starts:
                break
        if starts:
            found.append(docnum)
    return np.array(found, dtype=np.int64)


def _segment_positions(segment, field: str, text, wanted: set[int], decode) -> dict[int, frozenset]:
    matcher, found = _matcher(segment, field, text), {}
    if matcher is None:
        return found
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_read_values", "_next_block", "_i")):
        while matcher.is_active():
            if matcher.id() in wanted:
                found[matcher.id()] = frozenset(matcher.value_as("positions"))
            matcher.next()
        return found
    while matcher.is_active():  # a block at a time: no skipping posting by posting
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._values is None:
            matcher._read_values()
        for i in range(matcher._i, len(matcher._ids)):
            if matcher._ids[i] in wanted:
                found[matcher._ids[i]] = frozenset(decode(matcher._values[i]))
        matcher._next_block()
    return found


# Warming -------------------------------------------------------------------------------------

def warm(reader, length_fields: list[str]) -> None:
    """Read ahead what a new searcher's first searches would beyond its columns: lengths, recent words and phrases."""
    for field in length_fields:
        lengths(reader, field)
    for segment, _ in _leaves(reader):
        for field, text in KEPT.recent_terms():
            KEPT.get((segment_key(segment), "postings", field, text),
                     lambda segment=segment, field=field, text=text: _segment_postings(segment, field, text))
    for field, words, decode in KEPT.recent_phrases():
        phrase_docs(reader, field, list(words), decode)
