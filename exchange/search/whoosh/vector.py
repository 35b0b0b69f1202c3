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

from exchange.lru import SizedLRU
from exchange.search.blend import blend
from exchange.search.whoosh import arrays
from exchange.search.whoosh.schema import SCORE_SCALE

KEPT_BYTES = 24 * 1024 * 1024  # per searcher: posting arrays, positions and phrase matches read so far


class Unsupported(Exception):
    """A query part this module does not evaluate (Whoosh's matchers then do it all)."""


class VectorIndex:
    """One searcher's documents as arrays, and the posting lists read so far."""

    def __init__(self, searcher, weighting):
        self.searcher = searcher
        self.reader = reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.B, self.K1 = weighting.B, weighting.K1
        # Composed from arrays kept by segment (``arrays``): after a commit only the new segment is read.
        self.live = arrays.live(reader)
        self.lengths: dict[str, np.ndarray] = {}
        self.averages: dict[str, float] = {}
        self.documents = reader.doc_count_all()  # as Whoosh's matchers count them (``searching._Scorer``)
        self.terms = SizedLRU(KEPT_BYTES)
        self.score_column = arrays.numbers(reader, "score")
        # blend(text, endorsement) is text times a factor of the endorsement: the factor per document.
        self.blend = arrays.composed(reader, ("blend",), lambda: _blend_factors(self.score_column))
        self.published = arrays.numbers(reader, "published")
        self.ids = arrays.identifiers(reader, "id")

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
        if len(words) == 1:
            return np.logical_and.reduce([m for m, _ in parts]) & self.live
        if getattr(node, "slop", 1) != 1:
            return self._docs(node)
        matched = self._none()
        decode = self.searcher.schema[field].format.decode_positions
        matched[arrays.phrase_docs(self.reader, field, words, decode)] = True  # found once per segment
        return matched

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
        return arrays.postings(self.reader, field, text)

    def _lengths(self, field: str) -> np.ndarray:
        """Each document's length in ``field``, as Whoosh keeps it (one byte, approximately)."""
        lengths = self.lengths.get(field)
        if lengths is None:
            lengths = self.lengths[field] = arrays.lengths(self.reader, field)
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


def _blend_factors(score_column: np.ndarray) -> np.ndarray:
    """``blend(1, score)`` for every document, worked out once per distinct score."""
    distinct, which = np.unique(score_column, return_inverse=True)
    factors = np.array([blend(1.0, score / SCORE_SCALE) for score in distinct.tolist()], dtype=float)
    return factors[which] if len(distinct) else np.zeros(0)


def bm25_idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency, as Lucene and the BM25 papers have it:
    ``log(1 + (N - n + 0.5) / (n + 0.5))`` for a word in ``n`` of ``N`` documents.

    Whoosh's own (``log(N / (n + 1)) + 1``) gives a word in every document a weight of 1,
    half or more of a rare word's: long questions full of common words are then ranked by
    those words (on CISI, nDCG@10 0.39 with Whoosh's, 0.42 with this).
    """
    return float(np.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5)))
