"""Our query grammar in Whoosh: a parser with only the plugins we offer, filters as query objects.

Offered: words, "quoted phrases", AND / OR / NOT, (grouping); ``-word`` arrives as ``NOT word``
(``exchange.search.query``). Words and phrases side by side are optional and ranked
(``RankedOr``); a phrase needs its words together; a NOT leaves out. Not offered: field syntax,
wildcards, fuzzy terms, regular expressions, ranges, boosts. Characters of those syntaxes
are ordinary text here, and anything the parser chokes on falls back to plain words.
"""
import logging
import re

from whoosh import qparser, query
from whoosh.qparser import plugins, syntax

from exchange.search.interface import ParsedQuery, SearchRequest, negated
from exchange.search.whoosh.schema import MATCH_FIELD, SCHEMA, TITLE_FIELD

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")


# The exponent of the share of a query's words a document has (``RankedOr``). Measured on CISI
# (nDCG@10): 0 gives 0.418, 0.1 0.416, 0.2 0.414, 1 0.39: BM25's sum already puts documents with
# more of the words first, and a factor on top only rewards documents for common words.
COORDINATION = 0.0


class RankedOr(query.Or):
    """Words side by side in a query: any of them matches; the more of them a document has, the better.

    The score is the sum of the words' BM25 scores times (words found / words asked) to the
    power ``coord``: a coordination factor, so that among documents with words of similar
    weight the one with more of the query's words comes first. ``vector`` computes it;
    Whoosh's own matchers (the fallback) sum the scores without it.
    """

    def __init__(self, subqueries, boost=1.0, coord=COORDINATION):
        super().__init__(subqueries, boost=boost)
        self.coord = coord

    def __eq__(self, other):
        return super().__eq__(other) and self.coord == getattr(other, "coord", None)

    __hash__ = query.Or.__hash__


class _ImplicitOr(query.Or):
    """What the parser makes of words side by side (an explicit OR makes a plain ``Or``)."""


class _ImplicitGroup(syntax.OrGroup):
    qclass = _ImplicitOr


def _parser(*offered) -> qparser.QueryParser:
    # The words are looked for in the text field, which holds every searched field (the title
    # too); a title that has them then adds its own, boosted score (``with_title_bonus``).
    return qparser.QueryParser(MATCH_FIELD, SCHEMA, plugins=list(offered), group=_ImplicitGroup)


FULL = _parser(
    plugins.PhrasePlugin(),
    plugins.GroupPlugin(),
    plugins.OperatorsPlugin(AndNot=None, AndMaybe=None, Require=None),
)
PLAIN = _parser()
# How much a title's own BM25 score for the query's words adds. Measured on CISI (nDCG@10):
# 0 gives 0.413, 0.1 0.410, 0.2 0.418, 0.3 0.416, 0.4 0.409, 1 0.39 (generic title words win).
TITLE_WEIGHT = 0.2


def compile_text(parsed: ParsedQuery) -> query.Query:
    """The query for the user's words; everything when there are none."""
    if not parsed.text.strip():
        return query.Every("kind")  # every article (not the vocabulary documents, which have no kind)
    try:
        return with_title_bonus(ranked(FULL.parse(parsed.text, normalize=False)).normalize())
    except Exception:  # noqa: BLE001 - any parser failure means: search the plain words
        log.info("query fell back to plain words: %r", parsed.text)
        return with_title_bonus(ranked(plain_words(parsed.text)).normalize())


def ranked(node: query.Query) -> query.Query:
    """The parsed query with our meaning of words side by side (``_ImplicitOr``), at every level.

    Words and quoted phrases side by side: each optional, ranked (``RankedOr``); a phrase counts
    only where its words stand together. A word asked twice weighs twice (a question that
    repeats a word is about it: on CISI, nDCG@10 0.340 without this, 0.389 with). NOT parts: left out of what
    the rest finds; NOT alone: everything without it.
    Explicit AND / OR: as written. ``node`` is the parser's tree before normalising, so that
    repeated words are still there to count.
    """
    if not isinstance(node, _ImplicitOr):
        return node.apply(ranked)
    children = [ranked(child) for child in node.children()]
    excluded = [child.query for child in children if isinstance(child, query.Not)]
    parts = _counted([child for child in children if not isinstance(child, query.Not)])
    if not parts:
        return query.And([query.Not(child) for child in excluded]) if excluded else query.NullQuery
    found = RankedOr(parts) if len(parts) > 1 else parts[0]
    return query.AndNot(found, excluded[0] if len(excluded) == 1 else query.Or(excluded)) if excluded else found


def _counted(parts: list[query.Query]) -> list[query.Query]:
    """The parts with each repeated word once, its weight the number of times it was asked."""
    merged: dict = {}
    for part in parts:
        key = (part.fieldname, part.text) if isinstance(part, query.Term) else id(part)
        if key in merged:
            merged[key] = merged[key].with_boost(merged[key].boost + part.boost)
        else:
            merged[key] = part
    return list(merged.values())


def with_title_bonus(words: query.Query) -> query.Query:
    """Match on the text field alone; let titles with the query's words add to the score.

    One posting list per word decides what matches (an intersection of two common words at
    10,000 articles took half the time of one across every field); the title's words, looked
    up only for documents that match, lift the score as the title's boost says.
    """
    bonus = []

    def walk(node, negated: bool) -> None:
        if isinstance(node, query.Not):
            walk(node.query, not negated)
        elif isinstance(node, query.AndNot):
            walk(node.a, negated)
            walk(node.b, not negated)
        elif isinstance(node, query.Term):
            if not negated and node.fieldname == MATCH_FIELD:
                bonus.append(query.Term(TITLE_FIELD, node.text, boost=node.boost * TITLE_WEIGHT))
        elif isinstance(node, query.Phrase):
            if not negated and node.fieldname == MATCH_FIELD:
                bonus.append(query.Phrase(TITLE_FIELD, node.words, boost=node.boost * TITLE_WEIGHT))
        elif not node.is_leaf():
            for child in node.children():
                walk(child, negated)

    walk(words, False)
    if not bonus:
        return words
    # The weight on each part: Whoosh drops the boost of an Or of one part.
    return query.AndMaybe(words, query.Or(bonus))


def plain_words(text: str) -> query.Query:
    """The words of ``text`` with no syntax at all."""
    words = [w for w in _WORD.findall(text) if w not in ("AND", "OR", "NOT")]
    try:
        return PLAIN.parse(" ".join(words)) if words else query.NullQuery
    except Exception:  # noqa: BLE001
        return query.NullQuery


def compile_search(request: SearchRequest) -> query.Query:
    """The user's words, restricted by the filters, which add nothing to the relevance score."""
    words, filters, excluded = compile_text(request.query), compile_filters(request), _excluded_places(request)
    # Not Whoosh's ``filter=`` argument: its collector is bypassed by the time limit's collector.
    found = words if filters is None else query.And([words, filters])
    return found if excluded is None else query.AndNot(found, excluded)


def _place_terms(request: SearchRequest, excluding: bool) -> list[query.Query]:
    """The country and level filters that keep (or, ``excluding``, leave out) an agency's articles."""
    terms = []
    for field in ("country", "level"):
        value = getattr(request, field)
        if value:
            text, negative = negated(value)
            if negative == excluding:
                terms.append(query.Term(field, text, boost=0.0))
    return terms


def _excluded_places(request: SearchRequest) -> query.Query | None:
    """"Outside GB", "not local": what must not match (an article whose agency has no country is kept)."""
    terms = _place_terms(request, excluding=True)
    return query.Or(terms) if terms else None


def compile_filters(request: SearchRequest) -> query.Query | None:
    """The filters as query objects (never pasted into a query string), each weighing nothing.

    (Not Whoosh's ConstantScoreQuery: its score 0 is read as "no score given" and becomes 1,
    added to every match's score, which the blend then multiplies.)
    """
    terms = []
    if request.kind:
        terms.append(query.Term("kind", request.kind, boost=0.0))
    terms.extend(query.Term("tag", slug, boost=0.0) for slug in request.tags)
    if request.agency:
        terms.append(query.Term("agency", request.agency, boost=0.0))
    if request.evidence_min:
        terms.append(query.NumericRange("evidence", request.evidence_min, None, boost=0.0))
    if request.stage:
        terms.append(query.Term("stage", request.stage, boost=0.0))
    terms.extend(_place_terms(request, excluding=False))
    return query.And(terms) if terms else None
