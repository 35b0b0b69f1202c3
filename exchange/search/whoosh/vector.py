"""Every match scored at once: Whoosh's BM25F, computed with numpy over whole posting lists.

Whoosh scores one match at a time through a tree of matcher objects, several microseconds of
Python each: two common words at 10,000 articles are 9,000 matches and a quarter of a second,
and all of them must be visited for the total and the facets. Here each term's posting list is
read once per searcher, a block at a time, into arrays that are kept; a query is then a few
array operations (which documents match, their scores, the page). The scores are Whoosh's own:
the same idf, average lengths and BM25F formula, summed over a query's parts as its matchers
sum them. Which documents hold a phrase is still asked of Whoosh (it needs word positions);
a phrase scores as the sum of its words.
"""
import numpy as np
from whoosh import query as q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from exchange.lru import SizedLRU
from exchange.search.blend import blend
from exchange.search.whoosh.schema import SCORE_SCALE

KEPT_BYTES = 64 * 1024 * 1024  # per searcher: posting arrays, positions and phrase matches read so far
POSITIONS_ENTRY_BYTES = 200  # about what one document's positions cost in a kept dict


class Unsupported(Exception):
    """A query part this module does not evaluate (Whoosh's matchers then do it all)."""


class VectorIndex:
    """One searcher's documents as arrays, and the posting lists read so far."""

    def __init__(self, searcher, weighting):
        self.searcher = searcher
        self.reader = reader = searcher.reader()
        self.size = size = reader.doc_count_all()
        self.B, self.K1 = weighting.B, weighting.K1
        self.live = np.zeros(size, dtype=bool)
        if size:
            self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        self.lengths: dict[str, np.ndarray] = {}
        self.averages: dict[str, float] = {}
        self.documents = reader.doc_count_all()  # as Whoosh's matchers count them (``searching._Scorer``)
        self.terms = SizedLRU(KEPT_BYTES)
        if not size:
            self.blend = self.published = self.score_column = self.ids = np.zeros(0)
            return
        self.score_column = np.array(column_values(reader, "score", 0), dtype=np.int64)
        # blend(text, endorsement) is text times a factor of the endorsement: the factor per document.
        self.blend = np.array([blend(1.0, score / SCORE_SCALE) for score in self.score_column.tolist()])
        self.published = np.array(column_values(reader, "published", 0), dtype=np.int64)
        self.ids = np.array([int(value or 0) for value in column_values(reader, "id", "")], dtype=np.int64)

    # Evaluating -----------------------------------------------------------------

    def evaluate(self, node) -> tuple[np.ndarray, np.ndarray]:
        """(which documents match, their text scores) for a query."""
        matched, scores = self._eval(node)
        return matched & self.live, scores

    def _eval(self, node):
        boost = getattr(node, "boost", 1.0)
        if isinstance(node, q.Term):
            matched, scores = self._term(node.fieldname, node.text)
        elif isinstance(node, q.Phrase):
            matched, scores = self._phrase(node)
        elif isinstance(node, q.And):
            parts = [self._eval(child) for child in node.subqueries]
            matched = np.logical_and.reduce([m for m, _ in parts]) if parts else self._none()
            scores = np.where(matched, sum(s for _, s in parts), 0.0) if parts else self._zeros()
        elif isinstance(node, q.Or):
            parts = [self._eval(child) for child in node.subqueries]
            matched = np.logical_or.reduce([m for m, _ in parts]) if parts else self._none()
            scores = sum(np.where(m, s, 0.0) for m, s in parts) if parts else self._zeros()
            coord = getattr(node, "coord", 0)  # RankedOr: times the share of its parts found, to a power
            if parts and coord:
                found = sum(m.astype(float) for m, _ in parts)
                scores = scores * (found / len(parts)) ** coord
        elif isinstance(node, q.AndMaybe):
            (matched, scores), (extra, bonus) = self._eval(node.a), self._eval(node.b)
            scores = np.where(matched, scores + np.where(extra, bonus, 0.0), 0.0)
        elif isinstance(node, q.AndNot):
            (matched, scores), (excluded, _) = self._eval(node.a), self._eval(node.b)
            matched = matched & ~excluded
        elif isinstance(node, q.Not):
            excluded, _ = self._eval(node.query)
            matched, scores = self.live & ~excluded, self._zeros()
        elif isinstance(node, q.ConstantScoreQuery):
            matched, _ = self._eval(node.child)
            scores = np.where(matched, node.score, 0.0)
        elif isinstance(node, q.Every):
            matched, scores = self._every(node.fieldname), self._zeros()
        elif isinstance(node, type(q.NullQuery)):
            matched, scores = self._none(), self._zeros()
        elif isinstance(node, q.NumericRange):
            matched, scores = self._docs(node), self._zeros()
        else:
            raise Unsupported(type(node).__name__)
        return matched, scores * boost if boost != 1.0 else scores

    def _term(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = self._term_scores(field, text)
        matched, scores = self._none(), self._zeros()
        matched[ids] = True
        scores[ids] = weights
        return matched, scores

    def _term_scores(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        """The documents with the term and their BM25 scores for it (kept with the postings)."""
        key = ("scores", field, text)
        found = self.terms.get(key)
        if found is not None:
            return found
        ids, weights = self._postings(field, text)
        if len(ids) and self.searcher.schema[field].scorable:
            lengths = self._lengths(field)[ids]
            average = self._average_length(field)
            K1, B = self.K1, self.B
            idf = bm25_idf(self.documents, len(ids))
            weights = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average)))
        found = (ids, weights)
        self.terms.put(key, found, ids.nbytes + weights.nbytes)
        return found

    def _average_length(self, field: str) -> float:
        average = self.averages.get(field)
        if average is None:
            average = self.averages[field] = self.searcher.avg_field_length(field) or 1
        return average

    def _phrase(self, node):
        """Documents with the words next to each other: positions read only where all the words are."""
        field, words = node.fieldname, list(node.words)
        parts = [self._term(field, word) for word in words]
        if not parts:
            return self._none(), self._zeros()
        key = ("phrase", field, tuple(words), getattr(node, "slop", 1))
        matched = self.terms.get(key)
        if matched is None:
            matched = self._phrase_docs(node, field, words, parts)
            self.terms.put(key, matched, matched.nbytes)
        scores = sum(s for _, s in parts)
        return matched, np.where(matched, scores, 0.0)

    def _phrase_docs(self, node, field: str, words: list, parts: list) -> np.ndarray:
        candidates = np.flatnonzero(np.logical_and.reduce([m for m, _ in parts]) & self.live)
        if len(words) == 1:
            matched = self._none()
            matched[candidates] = True
            return matched
        if getattr(node, "slop", 1) != 1:
            return self._docs(node)
        matched = self._none()
        if len(candidates):
            positions = [self._positions(field, word, candidates) for word in words]
            for docnum in candidates.tolist():
                # The phrase starts where the first word is and word i is i further on.
                starts = set(positions[0][docnum])
                for i in range(1, len(words)):
                    starts.intersection_update(p - i for p in positions[i][docnum])
                    if not starts:
                        break
                if starts:
                    matched[docnum] = True
        return matched

    def _positions(self, field: str, text, docnums: np.ndarray) -> dict[int, frozenset]:
        """The word's positions in those of ``docnums`` that have it (kept, per word, for the next phrase)."""
        key = ("positions", field, text)
        known = self.terms.get(key) or {}
        wanted = [d for d in docnums.tolist() if d not in known]
        if wanted:
            known = {**known, **self._read_positions(field, text, wanted)}
            for docnum in wanted:
                known.setdefault(docnum, frozenset())
            self.terms.put(key, known, len(known) * POSITIONS_ENTRY_BYTES)
        return known

    def _read_positions(self, field: str, text, wanted: list[int]) -> dict[int, frozenset]:
        decode = self.searcher.schema[field].format.decode_positions
        found, wanted_set = {}, set(wanted)
        for matcher, offset in self._leaf_matchers(field, text):
            if not all(hasattr(matcher, name) for name in ("_read_ids", "_read_values", "_next_block", "_i")):
                for docnum, positions in self._positions_slowly(matcher, offset, wanted_set):
                    found[docnum] = positions
                continue
            while matcher.is_active():  # a block at a time: no skipping posting by posting
                if matcher._ids is None:
                    matcher._read_ids()
                if matcher._values is None:
                    matcher._read_values()
                for i in range(matcher._i, len(matcher._ids)):
                    docnum = matcher._ids[i] + offset
                    if docnum in wanted_set:
                        found[docnum] = frozenset(decode(matcher._values[i]))
                matcher._next_block()
        return found

    @staticmethod
    def _positions_slowly(matcher, offset, wanted_set):
        while matcher.is_active():
            if matcher.id() + offset in wanted_set:
                yield matcher.id() + offset, frozenset(matcher.value_as("positions"))
            matcher.next()

    def _every(self, field):
        if not field:
            return self.live.copy()
        matched = self._none()
        for text in self.reader.lexicon(field):
            matched[self._postings(field, text)[0]] = True
        return matched

    def _docs(self, node) -> np.ndarray:
        matched = self._none()
        found = list(self.searcher.docs_for_query(node))
        if found:
            matched[np.array(found, dtype=np.int64)] = True
        return matched

    # Reading ----------------------------------------------------------------------

    def _postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        found = self.terms.get(key)
        if found is None:
            found = self._read_postings(field, text)
            self.terms.put(key, found, found[0].nbytes + found[1].nbytes)
        return found

    def _read_postings(self, field: str, text):
        ids, weights = [], []
        for matcher, offset in self._leaf_matchers(field, text):
            segment_ids, segment_weights = _read_matcher(matcher)
            ids.extend(docnum + offset for docnum in segment_ids)
            weights.extend(segment_weights)
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=float)

    def _leaf_matchers(self, field: str, text):
        """Each segment's posting list of the term, with the segment's first document number."""
        for segment, offset in self.reader.leaf_readers():
            try:
                matcher = segment.postings(field, text)
            except TermNotFound:
                continue
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child  # deleted documents: left out by ``live``
            yield matcher, offset

    def _lengths(self, field: str) -> np.ndarray:
        """Each document's length in ``field``, as Whoosh keeps it (one byte, approximately)."""
        lengths = self.lengths.get(field)
        if lengths is None:
            lengths = self.lengths[field] = np.zeros(self.size, dtype=float)
            for segment, offset in self.reader.leaf_readers():
                count = segment.doc_count_all()
                lengths[offset:offset + count] = _segment_lengths(segment, field, count)
        return lengths

    def _none(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)

    def _zeros(self) -> np.ndarray:
        return np.zeros(self.size, dtype=float)

    # Ordering -----------------------------------------------------------------------

    def page(self, matched: np.ndarray, scores: np.ndarray, sort: str, count: int) -> list[tuple[int, float]]:
        """The first ``count`` matches in the request's order: (document number, ranking score)."""
        docnums = np.flatnonzero(matched)
        if not len(docnums) or count <= 0:
            return []
        if sort == "relevance":
            final = scores[docnums] * self.blend[docnums]
            keys = (docnums, -final)  # best first; equal scores in index order, as Whoosh has them
        elif sort == "top":
            final = np.zeros(len(docnums))
            keys = (-self.published[docnums], -self.score_column[docnums])
        else:  # new
            final = np.zeros(len(docnums))
            keys = (-self.ids[docnums], -self.published[docnums])
        if len(docnums) > count:
            # Only the best few need sorting: a partition on the first key narrows them down.
            cut = np.argpartition(keys[-1], count - 1)[:count]
            bound = keys[-1][cut].max()
            keep = np.flatnonzero(keys[-1] <= bound)
            docnums, final, keys = docnums[keep], final[keep], tuple(k[keep] for k in keys)
        order = np.lexsort(keys)[:count]
        return [(int(docnums[i]), float(final[i])) for i in order]


def bm25_idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency, as Lucene and the BM25 papers have it:
    ``log(1 + (N - n + 0.5) / (n + 0.5))`` for a word in ``n`` of ``N`` documents.

    Whoosh's own (``log(N / (n + 1)) + 1``) gives a word in every document a weight of 1,
    half or more of a rare word's: long questions full of common words are then ranked by
    those words (on CISI, nDCG@10 0.39 with Whoosh's, 0.42 with this).
    """
    return float(np.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5)))


_BYTE_LENGTHS = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=float)  # 0: no length


def _segment_lengths(segment, field: str, count: int) -> np.ndarray:
    """A segment's length column read whole where the codec allows it, else document by document."""
    column = None
    per_document = getattr(segment, "_perdoc", None)
    if hasattr(per_document, "_cached_reader"):
        column = per_document._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
    if column is not None:
        values = list(column)
        if len(values) == count:
            return _BYTE_LENGTHS[np.array(values, dtype=np.int64)]
    return np.array([segment.doc_field_length(docnum, field, 0) for docnum in range(count)], dtype=float)


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


def column_values(reader, field: str, missing=None) -> list:
    """A column's value for every document number; ``missing`` where a segment's column ends
    early (it stops at the last document that gave the field a value)."""
    column, count = reader.column_reader(field), reader.doc_count_all()
    values = list(column)
    if len(values) == count:
        return values
    values = []
    for docnum in range(count):
        try:
            values.append(column[docnum])
        except IndexError:
            values.append(missing)
    return values
