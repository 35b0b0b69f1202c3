"""One search in PostgreSQL: what matches, ranked by blended BM25, with facets, snippets and "did you mean"."""
import json

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.dialects import postgresql

from exchange.search.blend import blend_sql
from exchange.search.interface import FACETS, Hit, SearchRequest, SearchResults, negated
from exchange.search.postgres.ranking import scores
from exchange.search.postgres.tables import documents, postings
from exchange.search.postgres.text import compile_query

CONFIG = "exchange_english"  # migration 0016: accents folded, Snowball English stems, no stop list
# \x01 and \x02 never occur in stored text (control characters are removed on save).
HEADLINE = "StartSel=\x01, StopSel=\x02, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=4, FragmentDelimiter=\x03"
WHOLE = "StartSel=\x01, StopSel=\x02, HighlightAll=true"
SHORT_BODY = 280  # characters: a body this short is shown whole, punctuation and all


def run(connection, request: SearchRequest) -> SearchResults:
    compiled = compile_query(request.query.text)
    if not compiled.tsquery and request.query.text.strip():
        # Words, but none that says what is wanted ("what is the"): nothing to find, as in Whoosh.
        return SearchResults(request=request)
    query = sa.cast(compiled.tsquery, postgresql.TSQUERY) if compiled.tsquery else None
    if compiled.plain:  # any of the words: what has a posting for one (the primary key, not the wide rows)
        matched = documents.c.article_id.in_(sa.select(postings.c.article_id).where(
            postings.c.term == sa.func.any(sa.cast(sa.literal([t for t, _ in compiled.terms],
                                                              postgresql.ARRAY(sa.Text)), postgresql.ARRAY(sa.Text)))))
    else:
        matched = documents.c.document.op("@@")(query) if query is not None else None
    conditions = _conditions(request, matched)
    facets, total = _facets(connection, conditions)
    selected = sa.select(documents)
    if compiled.terms:
        ranked = scores(compiled.terms)
        selected = selected.add_columns(blend_sql(sa.func.coalesce(ranked.c.bm25, 0.0), documents.c.score)
                                        .label("relevance"))
        if compiled.plain:  # what has a score is what matches: the articles are looked up by it
            conditions = [c for c in conditions if c is not matched]
            selected = selected.join(ranked, ranked.c.article_id == documents.c.article_id)
        else:
            selected = selected.outerjoin(ranked, ranked.c.article_id == documents.c.article_id)
    else:
        selected = selected.add_columns(sa.literal(0.0).label("relevance"))
    relevance = sa.literal_column("relevance")
    order = {
        "top": [documents.c.score.desc(), documents.c.published_at.desc()],
        "new": [documents.c.published_at.desc(), documents.c.article_id.desc()],
    }.get(request.sort, [relevance.desc(), documents.c.published_at.desc(), documents.c.article_id])
    page = (selected.where(*conditions).order_by(*order)
            .limit(request.per_page).offset((request.page - 1) * request.per_page).subquery())
    headline = sa.case(
        (sa.func.length(page.c.body) <= SHORT_BODY, sa.func.ts_headline(CONFIG, page.c.body, query, WHOLE)),
        else_=sa.func.ts_headline(CONFIG, page.c.body, query, HEADLINE),
    ) if query is not None else sa.literal("")
    outer = {
        "top": [page.c.score.desc(), page.c.published_at.desc()],
        "new": [page.c.published_at.desc(), page.c.article_id.desc()],
    }.get(request.sort, [page.c.relevance.desc(), page.c.published_at.desc(), page.c.article_id])
    rows = connection.execute(sa.select(page, headline.label("headline")).order_by(*outer)).all()
    return SearchResults(
        request=request,
        hits=[_hit(row, request) for row in rows],
        total=total,
        facets=facets,
    )


def _conditions(request: SearchRequest, matched) -> list:
    conditions = []
    if matched is not None:
        conditions.append(matched)
    if request.kind:
        conditions.append(documents.c.kind == request.kind)
    if request.agency:
        conditions.append(documents.c.agency_slug == request.agency)
    if request.tags:
        conditions.append(documents.c.tag_slugs.contains(list(request.tags)))
    if request.evidence_min:
        conditions.append(documents.c.evidence_level >= request.evidence_min)
    if request.stage:
        conditions.append(documents.c.stage == request.stage)
    for value, column in ((request.country, documents.c.agency_country), (request.level, documents.c.agency_level)):
        if value:
            text, excluded = negated(value)
            conditions.append(column != text if excluded else column == text)
    return conditions


def _facets(connection, conditions) -> tuple[dict[str, dict[str, int]], int]:
    """Facet counts over every match (one grouping-sets query, one for topics), and the total."""
    columns = {"kind": documents.c.kind, "agency": documents.c.agency_slug,
               "evidence_level": documents.c.evidence_level, "stage": documents.c.stage,
               "country": documents.c.agency_country, "level": documents.c.agency_level}
    grouping = sa.func.grouping(*columns.values())
    rows = connection.execute(
        sa.select(grouping.label("g"), *columns.values(), sa.func.count().label("n")).where(*conditions)
        .group_by(sa.text("GROUPING SETS ((kind), (agency_slug), (evidence_level), (stage), (agency_country), "
                               "(agency_level))"))).all()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    bits = {name: 1 << (len(columns) - 1 - i) for i, name in enumerate(columns)}  # grouping(): 1 = rolled up
    total = 0
    for row in rows:
        for name, column in columns.items():
            if not row.g & bits[name]:
                value = row._mapping[column.name]
                if name == "kind":
                    total += row.n
                if value not in (None, ""):
                    counts[name][str(value)] = row.n
    tag = sa.func.unnest(documents.c.tag_slugs).label("tag")
    tagged = sa.select(tag).where(*conditions).subquery()
    for value, n in connection.execute(sa.select(tagged.c.tag, sa.func.count()).group_by(tagged.c.tag)):
        counts["tag"][value] = n
    return counts, total


def _hit(row, request: SearchRequest) -> Hit:
    return Hit(
        id=row.article_id, slug=row.slug, title=row.title, kind=row.kind, summary=row.summary,
        snippet=_snippet(row.headline, row.body, row.summary), tags=[tuple(pair) for pair in json.loads(row.tag_list)],
        agency_slug=row.agency_slug, agency_name=row.agency_name, evidence_level=row.evidence_level,
        stage=row.stage, published_at=row.published_at, score=row.score,
        relevance=float(row.relevance) if request.sort == "relevance" else 0.0,
        agency_country=row.agency_country, agency_level=row.agency_level,
    )


def _snippet(headline: str | None, body: str, summary: str) -> Markup:
    """ts_headline's passage, escaped, with only our own <mark> tags; the summary if nothing matched."""
    if not headline or "\x01" not in headline:
        return escape(summary)
    fragments = headline.split("\x03")
    passage = max(fragments, key=lambda f: f.count("\x01")).strip()  # the first with the most matches
    plain = passage.replace("\x01", "").replace("\x02", "")
    text = str(escape(passage)).replace("\x01", "<mark>").replace("\x02", "</mark>")
    before = "" if body.lstrip().startswith(plain) else "… "
    after = "" if body.rstrip().endswith(plain) else " …"
    return Markup(before + text + after)
