"""One search on a Whoosh searcher: query, filters, order, facets, snippets, "did you mean"."""
import re
from datetime import datetime, timezone

from whoosh import scoring, sorting

from exchange.search import ranking
from exchange.search.interface import Hit, SearchRequest, SearchResults
from exchange.search.whoosh_query import compile_search
from exchange.search.whoosh_schema import MICROSECONDS, SCORE_SCALE, SPELLING_ANALYZER
from exchange.search.whoosh_snippets import query_terms, snippet

FACET_FIELDS = {"kind": "kind", "tag": "tag", "agency": "agency", "evidence_level": "evidence", "stage": "stage"}
SORTS = {
    "top": [sorting.FieldFacet("score", reverse=True), sorting.FieldFacet("published", reverse=True)],
    "new": [sorting.FieldFacet("published", reverse=True), sorting.FieldFacet("id", reverse=True)],
}


class BlendedWeighting(scoring.BM25F):
    """BM25F text relevance, blended with the endorsement score by ``ranking.blend``."""

    use_final = True

    def __init__(self):
        super().__init__()
        self._scores = None

    def final(self, searcher, docnum, score):
        if self._scores is None:
            self._scores = searcher.reader().column_reader("score")
        return ranking.blend(score, self._scores[docnum] / SCORE_SCALE)


def open_searcher(ix):
    """A searcher on ``ix`` that ranks by blended relevance."""
    return ix.searcher(weighting=BlendedWeighting())


def run_search(searcher, request: SearchRequest, time_limited) -> SearchResults:
    """Search, count facets over every match, and load one page of hits."""
    whoosh_query = compile_search(request)
    collector = searcher.collector(
        limit=request.page * request.per_page,
        sortedby=SORTS.get(request.sort),
        groupedby=_facets(),
        maptype=sorting.Count,
    )
    partial = time_limited(searcher, whoosh_query, collector)
    results = collector.results()
    start = (request.page - 1) * request.per_page
    terms = query_terms(whoosh_query)
    hits = [_hit(found, request, terms) for found in results[start:start + request.per_page]]
    return SearchResults(
        request=request,
        hits=hits,
        total=len(results),
        facets=_facet_counts(results),
        suggestion=suggest(searcher, request),
        partial=partial,
    )


def _facets() -> dict:
    facets = {name: sorting.FieldFacet(field) for name, field in FACET_FIELDS.items()}
    facets["tag"] = sorting.FieldFacet("tag", allow_overlap=True)
    return facets


def _facet_counts(results) -> dict[str, dict[str, int]]:
    counts = {}
    for name in FACET_FIELDS:
        groups = results.groups(name)
        counts[name] = {str(value): n for value, n in groups.items() if value not in (None, "", 0)}
    return counts


def _hit(found, request: SearchRequest, terms: frozenset[str]) -> Hit:
    stored = found.fields()
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
        relevance=(found.score or 0.0) if request.sort == "relevance" else 0.0,
    )


def _datetime(timestamp):
    return datetime.fromtimestamp(timestamp / MICROSECONDS, timezone.utc) if timestamp else None


def suggest(searcher, request: SearchRequest) -> str | None:
    """The query with each word the index does not know replaced by the closest one it does."""
    corrector = searcher.corrector("spelling")
    text, changed = request.query.original, False
    for word in request.query.words:
        folded = [token.text for token in SPELLING_ANALYZER(word)]
        if len(folded) != 1 or len(folded[0]) < 3 or searcher.doc_frequency("spelling", folded[0]):
            continue
        suggestion = _closest(corrector, folded[0])
        if suggestion:
            text, changed = _replace_word(text, word, suggestion), True
    return text if changed else None


def _closest(corrector, word: str) -> str | None:
    """The most frequent indexed word at the smallest edit distance (Whoosh ranks by frequency alone)."""
    for distance in (1, 2):
        found = corrector.suggest(word, limit=1, maxdist=distance, prefix=1)
        if found:
            return found[0]
    return None


def _replace_word(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", replacement, text, count=1)

