"""Searching, for the page and the API: read the request's arguments, search, log, label the facets."""
import re
import time
from dataclasses import dataclass, replace

import sqlalchemy as sa

from exchange.accounts import places
from exchange.accounts.models import Agency
from exchange.articles.models import EVIDENCE_LEVELS, KINDS, STAGES, Article, Tag
from exchange.articles.queries import find_tag
from exchange.db import db
from exchange.errors import Invalid, Unavailable
from exchange.pagecache import SEARCHES, versioned
from exchange.pagination import ListArgs
from exchange.search import analytics, indexing, query, sources, spelling
from exchange.search.backends import configured
from exchange.search.interface import FACETS, SORTS, Hit, ParsedQuery, SearchRequest, SearchResults
from exchange.text import canonical_slug

MAX_TAG_FILTERS = 8
REPAIR_TIMEOUT = 0.5  # seconds to wait for the index writer when a search finds the index lagging
SUGGESTION_CHECK = 20  # hits read to see that a suggested word is in a published article
SUGGESTION_WORDS = 8  # words of one query that "did you mean" may correct
CANDIDATE_GROUPS = 3  # costs of edit looked at for one word, closest first
CANDIDATES_WEIGHED = 12  # candidates of equal cost whose articles are counted
UNAVAILABLE = "Search is unavailable just now (its index cannot be read). Please try again in a minute."
SORT_LABELS = {"relevance": "Best match", "top": "Most endorsed", "new": "Newest"}
FACET_LABELS = {"kind": "Kind", "tag": "Topic", "agency": "Agency", "evidence_level": "Evidence", "stage": "Stage",
                "country": "Country", "level": "Level of government"}


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: what to show, how many results have it, and the filter it sets."""

    value: str
    label: str
    count: int
    selected: bool


def search(args, strict: bool = True) -> tuple[SearchResults, list[str]]:
    """Run the search the arguments describe; returns the results and what was ignored (if not strict).

    A query that finds nothing, when a correction of its spelling finds something, is run
    corrected (``corrected_from`` keeps what was typed) unless ``as_typed`` asks otherwise.
    """
    request, ignored = read_request(args, strict)
    as_typed = _as_typed(args, strict)
    indexing.sweep()
    started = time.perf_counter()
    # Published results only, so the same for every reader: kept per data version (pagecache.versioned).
    results = replace(versioned("search", (repr(request), as_typed), lambda: _found(request, as_typed),
                                store=SEARCHES, keep=lambda found: not found.partial))
    took_ms = round((time.perf_counter() - started) * 1000)
    if request.query.original and request.page == 1:
        analytics.log_search(request.query.original, results.total, took_ms)
    return results, ignored


def _found(request: SearchRequest, as_typed: bool) -> SearchResults:
    """The results of ``request``, or of its spelling's correction when it finds nothing and that does."""
    results = _visible_results(request)
    suggestion = correction(request, results.total)
    if suggestion and not results.total and not as_typed:
        corrected = _visible_results(replace(request, query=query.parse(suggestion, configured().synonyms)))
        if corrected.total:
            results, suggestion = corrected, None
            results.corrected_from = request.query.original
    results.suggestion = suggestion
    return results


def _as_typed(args, strict: bool) -> bool:
    """``as_typed=1``: search for the words as typed, even when a correction would find more."""
    value = args.get("as_typed") or ""
    if strict and value not in ("", "0", "1"):
        raise Invalid("as_typed must be 0 or 1.", {"as_typed": "as_typed must be 0 or 1."})
    return value == "1"


def _visible_results(request: SearchRequest) -> SearchResults:
    """The backend's results with only published articles, the total and facets counting only those.

    A hit the database no longer has as published means the index lags: repair it now and search
    again; if the index cannot be written at once, leave the repair queued and discount the hit.
    """
    results = _search_index(request)
    stale = _stale(results.hits)
    if stale:
        indexing.queue_repairs({hit.id for hit in stale})
        if indexing.apply_safely(timeout=REPAIR_TIMEOUT):
            results = _search_index(request)
            stale = _stale(results.hits)
    if stale:
        _discount(results, stale)
    return results


def _search_index(request: SearchRequest) -> SearchResults:
    """The backend's answer; an index that cannot be read is Unavailable (503), never an empty result."""
    results = configured().backend.search(request)
    if results.unavailable:
        raise Unavailable(UNAVAILABLE)
    return results


def _stale(hits: list[Hit]) -> list[Hit]:
    """The hits whose article is not published now."""
    if not hits:
        return []
    published = _published_ids([hit.id for hit in hits])
    return [hit for hit in hits if hit.id not in published]


def _published_ids(ids: list[int]) -> set[int]:
    """Those of ``ids`` whose article is published (or whose challenge is public) now."""
    if not ids:
        return set()
    ids, others = sources.split(ids)
    connection = db.session.connection()  # Core, not the ORM: a column of ids is all we need
    found = set(connection.execute(
        sa.select(Article.id).where(Article.id.in_(ids), Article.status == "published")).scalars()) if ids else set()
    for kind, rows in others.items():
        source = sources.by_kind(kind)
        found.update(source.offset + row for row in source.public(connection, sorted(rows)))
    return found


def all_kinds() -> dict[str, str]:
    """Every value of the kind facet and filter: the article kinds, then the other sources' (challenge)."""
    return {**KINDS, **sources.kinds()}


def _discount(results: SearchResults, stale: list[Hit]) -> None:
    """Take hits out of the page, the total and the facet counts."""
    gone = {hit.id for hit in stale}
    results.hits = [hit for hit in results.hits if hit.id not in gone]
    results.total = max(0, results.total - len(stale))
    for hit in stale:
        values = {"kind": [hit.kind], "agency": [hit.agency_slug], "tag": [slug for slug, _ in hit.tags],
                  "evidence_level": [str(hit.evidence_level)] if hit.evidence_level else [],
                  "stage": [hit.stage] if hit.stage else [],
                  "country": [hit.agency_country] if hit.agency_country else [],
                  "level": [hit.agency_level] if hit.agency_level else []}
        for name, found in values.items():
            counts = results.facets.get(name, {})
            for value in found:
                if counts.get(value):
                    counts[value] -= 1


def correction(request: SearchRequest, found: int) -> str | None:
    """The query with its misspelt words corrected (``exchange.search.spelling``), if it finds more.

    "More" is more articles, or more articles with every word: with optional words, "open data"
    may find no more articles than "opne data" did (every one with "data"), but it finds them
    with both words. Only published articles count, so no suggestion tells what a draft says.
    """
    text, changed = request.query.original, False
    for word in _correctable(request.query.words):
        replacement = _closest_published(spelling.folded(word))
        if replacement:
            text, changed = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", replacement, text, count=1), True
    if not changed:
        return None
    corrected = replace(request, query=query.parse(text, configured().synonyms), page=1, per_page=1)
    if _count(corrected) > found or _count_all_words(corrected) > _count_all_words(request):
        return text
    return None


def _correctable(words: tuple[str, ...]) -> list[str]:
    """The words that may be misspelt: unknown to every published article, and not everyday English.

    The backend's vocabulary is asked first (a quick look); a word it lacks may still be known by
    its stem ("ferry" in an article saying "ferries"), which only a search tells.
    """
    backend, unknown = configured().backend, []
    for word in dict.fromkeys(words):
        if len(unknown) == SUGGESTION_WORDS:
            break
        plain = spelling.folded(word)
        if (spelling.worth_correcting(plain) and not backend.knows(plain) and not _published_count(plain)
                and not spelling.everyday_english(plain)):
            unknown.append(word)
    return unknown


def _closest_published(word: str) -> str | None:
    """The closest of the backend's candidates that published articles hold; the heaviest of equals."""
    groups = spelling.by_closeness(word, configured().backend.spelling_candidates(word))
    for group in groups[:CANDIDATE_GROUPS]:
        counts = {candidate: _published_count(candidate) for candidate in group[:CANDIDATES_WEIGHED]}
        if any(counts.values()):
            everything = _count(SearchRequest(query=query.parse("", None), sort="new", per_page=1))
            return spelling.heaviest(counts, everything)
    return None


def _published_count(word: str) -> int:
    """How many published articles have this word (or its stem); 0 if the index only remembers drafts."""
    results = configured().backend.search(SearchRequest(query=query.parse(word, None), per_page=SUGGESTION_CHECK))
    return results.total if _published_ids([hit.id for hit in results.hits]) else 0


def _count(request: SearchRequest) -> int:
    return configured().backend.search(request).total


def _count_all_words(request: SearchRequest) -> int:
    """The articles with every content word of the query (stop words aside; synonyms' own words too:
    "open data" widened to a group of phrases is still the two words "open" and "data")."""
    content = [word for word in request.query.content_words if spelling.worth_correcting(spelling.folded(word))]
    if len(content) < 2:
        return 0
    every = replace(request, query=query.parse(" AND ".join(content), configured().synonyms), page=1, per_page=1)
    return _count(every)


def same_meaning(parsed: ParsedQuery) -> list[tuple[str, list[str]]]:
    """The synonyms and acronyms a query was widened with: (what was typed, what else was searched)."""
    synonyms = configured().synonyms
    if synonyms is None or parsed.text == parsed.original:
        return []
    typed, widened = parsed.original.lower(), []
    for group in synonyms.groups:
        for phrase in group:
            if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", typed):
                widened.append((phrase, [other for other in group if other != phrase]))
                break
    return widened


def read_request(args, strict: bool = True) -> tuple[SearchRequest, list[str]]:
    """A SearchRequest from query-string arguments, by the one rule of lists (``exchange/pagination.py``):
    bad values are Invalid (strict, the API) or dropped and reported (the page)."""
    checked = ListArgs(args, strict)
    kind = checked.choice("kind", all_kinds())
    stage = checked.choice("stage", STAGES)
    evidence = _evidence(args.get("evidence_min"), checked.refuse)
    sort = checked.choice("sort", SORTS, "relevance")
    page, per_page = checked.page(), checked.per_page()
    tags, agency = _tags(args), _slug(args.get("agency"), 100)
    country, level = places.country_filter(checked), places.level_filter(checked)
    if strict:
        _refuse_unknown(checked, tags, agency)
    problems = checked.check()
    parsed = query.parse(args.get("q", ""), configured().synonyms)
    if not parsed.text and sort == "relevance":
        sort = "new"  # with no words, nothing is more relevant than anything else
    request = SearchRequest(query=parsed, kind=kind, tags=tags, agency=agency, evidence_min=evidence,
                            stage=stage, country=country, level=level, sort=sort, page=page, per_page=per_page)
    return request, problems


def _refuse_unknown(checked: ListArgs, tags: tuple[str, ...], agency: str | None) -> None:
    """A topic or agency filter that names nothing is a mistake to point out, not a search for nothing.

    Search finds published articles only, so a topic exists here when a published article has it:
    a topic only drafts use answers as one that never existed, whoever asks.
    """
    missing = [tag for tag in tags if find_tag(None, tag) is None]
    if missing:
        checked.refuse("tag", f"There is no topic '{missing[0]}'.")
    if agency and db.session.scalar(sa.select(Agency.id).where(Agency.slug == agency)) is None:
        checked.refuse("agency", f"There is no agency '{agency}'.")


def _evidence(value, refuse) -> int | None:
    if not value:
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in EVIDENCE_LEVELS:
        return refuse("evidence_min", "evidence_min must be a number from 1 to 5.")
    return level


def _tags(args) -> tuple[str, ...]:
    """Topic slugs from ``tag=a,b`` or ``tag=a&tag=b``: results must have all of them."""
    values = args.getlist("tag") if hasattr(args, "getlist") else [args.get("tag") or ""]
    parts = [part for value in values for part in (value or "").split(",")][:MAX_TAG_FILTERS]
    return tuple(dict.fromkeys(slug for slug in (_slug(part, 40) for part in parts) if slug))


def _slug(value, max_len: int) -> str | None:
    return canonical_slug(value[:200], max_len=max_len) or None if value else None


def facet_values(results: SearchResults) -> dict[str, list[FacetValue]]:
    """Each facet's values with labels and counts, the usual ones first (kept with the search's results)."""
    return versioned("search facets", repr(results.request), lambda: _facet_values(results), store=SEARCHES,
                     keep=lambda _: not results.partial)


def _facet_values(results: SearchResults) -> dict[str, list[FacetValue]]:
    counts = results.facets
    labels = {"tag": _names(Tag, counts.get("tag", {})), "agency": _names(Agency, counts.get("agency", {})),
              "kind": all_kinds(), "stage": {k: k.capitalize() for k in STAGES},
              "evidence_level": {str(k): f"Level {k} or higher" for k in EVIDENCE_LEVELS},
              "country": {code: places.country_name(code) for code in counts.get("country", {})},
              "level": places.LEVEL_NAMES}
    request = results.request
    selected = {"kind": {request.kind}, "tag": set(request.tags), "agency": {request.agency},
                "stage": {request.stage}, "evidence_level": {str(request.evidence_min)},
                "country": {request.country}, "level": {request.level}}
    facets = {}
    for name in FACETS:
        found = _at_least(counts.get(name, {})) if name == "evidence_level" else counts.get(name, {})
        values = [FacetValue(value, labels[name].get(value, value), n, value in selected[name])
                  for value, n in found.items() if n]
        facets[name] = _in_order(name, values)
    return facets


def _in_order(name: str, values: list[FacetValue]) -> list[FacetValue]:
    """Kinds, stages and evidence levels in their natural order; topics and agencies by count."""
    natural = {"kind": list(all_kinds()), "stage": list(STAGES), "evidence_level": [str(k) for k in EVIDENCE_LEVELS],
               "level": list(places.LEVEL_NAMES)}
    if name in natural:
        order = natural[name]
        return sorted(values, key=lambda v: order.index(v.value) if v.value in order else len(order))
    return sorted(values, key=lambda v: (-v.count, v.label.lower()))


def _at_least(levels: dict[str, int]) -> dict[str, int]:
    """Evidence counts as "this level or higher", matching the evidence_min filter each one sets."""
    return {str(level): sum(n for value, n in levels.items() if int(value) >= level) for level in EVIDENCE_LEVELS}


def _names(model, values) -> dict[str, str]:
    if not values:
        return {}
    return dict(db.session.execute(sa.select(model.slug, model.name).where(model.slug.in_(list(values)))).all())
