"""One search on a Whoosh searcher: query, filters, order, facets, snippets, "did you mean"."""
from datetime import UTC, datetime

import numpy as np
from whoosh import scoring, sorting

from exchange.search.blend import blend
from exchange.search.interface import Hit, SearchRequest, SearchResults
from exchange.search.whoosh import arrays
from exchange.search.whoosh.query import compile_search
from exchange.search.whoosh.schema import MICROSECONDS, SCORE_SCALE
from exchange.search.whoosh.snippets import query_terms, snippet
from exchange.search.whoosh.vector import Unsupported, VectorIndex, bm25_idf

FACET_FIELDS = {"kind": "kind", "tag": "tag", "agency": "agency", "evidence_level": "evidence", "stage": "stage",
                "country": "country", "level": "level"}
SORTS = {
    "top": [sorting.FieldFacet("score", reverse=True), sorting.FieldFacet("published", reverse=True)],
    "new": [sorting.FieldFacet("published", reverse=True), sorting.FieldFacet("id", reverse=True)],
}


K1, B = 1.5, 0.75  # BM25's term saturation and length normalisation (CISI: K1 1.2 0.411, 1.5 0.418, 1.8 0.413)


class BlendedWeighting(scoring.BM25F):
    """BM25F text relevance, blended with the endorsement score by ``blend``."""

    use_final = True

    def __init__(self):
        super().__init__(B=B, K1=K1)
        self._scores = None
        self._searcher = None

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf)
        return _Scorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, qf=qf)

    def final(self, searcher, docnum, score):
        if self._searcher is not searcher:  # the score column of this searcher's reader
            self._scores, self._searcher = searcher.reader().column_reader("score"), searcher
        return blend(score, self._scores[docnum] / SCORE_SCALE)


class _Scorer(scoring.BM25FScorer):
    """Whoosh's BM25F with BM25's own idf (``vector.bm25_idf``), as the arrays compute it."""

    def __init__(self, searcher, fieldname, text, B, K1, qf=1):
        parent = searcher.get_parent()
        self.idf = bm25_idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))
        self.avgfl = parent.avg_field_length(fieldname) or 1
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)


def open_searcher(ix):
    """A searcher on ``ix`` that ranks by blended relevance."""
    return ix.searcher(weighting=BlendedWeighting())


class FacetTable:
    """Every document's facet values, read once per searcher, so counting them is a few C loops.

    Whoosh's own facets ask a categorizer for each value of each match, in Python (and build
    the multi-valued topic table again for every search); this reads the columns as numbered
    values and the topic postings as arrays once (``arrays.coded``, ``arrays.topics``), and then
    counts the matches of a search with ``numpy.bincount`` and a mask.
    """

    def __init__(self, reader):
        self.columns, self.tags, self.size = {}, {}, reader.doc_count_all()
        if not self.size:
            return  # an empty index reads no columns
        self.columns = {name: arrays.coded(reader, field) for name, field in FACET_FIELDS.items() if name != "tag"}
        self.tags = arrays.topics(reader, "tag")  # deleted documents too: never among a search's matches

    def count(self, docnums: list[int]) -> dict[str, dict[str, int]]:
        counts = {}
        found = np.asarray(docnums, dtype=np.int64)
        for name, (codes, labels) in self.columns.items():
            tally = np.bincount(codes[found], minlength=len(labels)) if len(found) else np.zeros(len(labels), int)
            counts[name] = {str(value): int(n) for value, n in zip(labels, tally, strict=True)
                            if n and value not in (None, "", 0)}
        matched = np.zeros(self.size, dtype=bool)
        matched[found] = True
        counts["tag"] = {tag: n for tag, ids in self.tags.items() if (n := int(np.count_nonzero(matched[ids])))}
        return counts


def run_search(searcher, request: SearchRequest, time_limited, facets: FacetTable,
               vectors: VectorIndex | None = None) -> SearchResults:
    """Search, count facets over every match, and load one page of hits.

    With ``vectors``, every match is found and scored with arrays (``vector``);
    otherwise, or for a query part it does not know, by Whoosh's matchers through
    ``time_limited(searcher, query, collector)``, which returns (partial, every match's number).
    """
    whoosh_query = compile_search(request)
    start = (request.page - 1) * request.per_page
    terms = query_terms(whoosh_query)
    evaluated = _evaluate(vectors, whoosh_query)
    if evaluated is None:
        partial, docnums, page = _collect(searcher, request, whoosh_query, time_limited)
    else:
        matched, scores = evaluated
        partial, docnums = False, np.flatnonzero(matched).tolist()
        page = vectors.page(matched, scores, request.sort, request.page * request.per_page)
    hits = [_hit(searcher.stored_fields(docnum), score, request, terms)
            for docnum, score in page[start:start + request.per_page]]
    return SearchResults(
        request=request,
        hits=hits,
        total=len(docnums),
        facets=facets.count(docnums),
        partial=partial,
    )


def _evaluate(vectors: VectorIndex | None, whoosh_query):
    """(matches, scores) from the arrays, or None when there are none or the query needs Whoosh."""
    if vectors is None:
        return None
    try:
        return vectors.evaluate(whoosh_query)
    except Unsupported:
        return None


def _collect(searcher, request: SearchRequest, whoosh_query, time_limited):
    """Whoosh's own way: a collector over its matchers, within the time limit."""
    collector = searcher.collector(limit=request.page * request.per_page, sortedby=SORTS.get(request.sort))
    # Whoosh's collector now and then "replaces" its matcher with one that drops sub-queries
    # that can no longer reach the page: right for a page, wrong for the count and the facets
    # (on 10,000 articles, "residents" counted 2,443 of its 9,114 matches). Never replace.
    collector.replace = 0
    partial, docnums = time_limited(searcher, whoosh_query, collector)
    page = [(found.docnum, found.score or 0.0) for found in collector.results()]
    return partial, docnums, page


def _hit(stored: dict, score: float, request: SearchRequest, terms: frozenset[str]) -> Hit:
    return Hit(
        id=int(stored["id"]),
        slug=stored["slug"],
        title=stored["title"],
        kind=stored["kind"],
        summary=stored["summary"],
        snippet=snippet(stored, terms),
        tags=[tuple(pair) for pair in stored.get("tag_list", [])],
        agency_slug=stored["agency"],
        agency_name=stored["agency_name"],
        evidence_level=stored.get("evidence") or None,
        stage=stored.get("stage") or None,
        published_at=_datetime(stored.get("published")),
        score=stored.get("score", 0) / SCORE_SCALE,
        relevance=score if request.sort == "relevance" else 0.0,
        agency_country=stored.get("country") or "",
        agency_level=stored.get("level") or "",
    )


def _datetime(timestamp):
    return datetime.fromtimestamp(timestamp / MICROSECONDS, UTC) if timestamp else None
