"""Our query grammar in Whoosh: a parser with only the plugins we offer, filters as query objects.

Offered: words, "quoted phrases", AND / OR / NOT, (grouping). Not offered: field syntax,
wildcards, fuzzy terms, regular expressions, ranges, boosts. Characters of those syntaxes
are ordinary text here, and anything the parser chokes on falls back to plain words.
"""
import logging
import re

from whoosh import qparser, query
from whoosh.qparser import plugins

from exchange.search.interface import ParsedQuery, SearchRequest
from exchange.search.whoosh.schema import MATCH_FIELD, SCHEMA, TITLE_FIELD

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")


def _parser(*offered) -> qparser.QueryParser:
    # The words are looked for in the text field, which holds every searched field (the title
    # too); a title that has them then adds its own, boosted score (``with_title_bonus``).
    return qparser.QueryParser(MATCH_FIELD, SCHEMA, plugins=list(offered))


FULL = _parser(
    plugins.PhrasePlugin(),
    plugins.GroupPlugin(),
    plugins.OperatorsPlugin(AndNot=None, AndMaybe=None, Require=None),
)
PLAIN = _parser()


def compile_text(parsed: ParsedQuery) -> query.Query:
    """The query for the user's words; everything when there are none."""
    if not parsed.text.strip():
        return query.Every("kind")  # every article (not the vocabulary documents, which have no kind)
    try:
        return with_title_bonus(FULL.parse(parsed.text))
    except Exception:  # noqa: BLE001 - any parser failure means: search the plain words
        log.info("query fell back to plain words: %r", parsed.text)
        return with_title_bonus(plain_words(parsed.text))


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
        elif isinstance(node, query.Term):
            if not negated and node.fieldname == MATCH_FIELD:
                bonus.append(query.Term(TITLE_FIELD, node.text))
        elif isinstance(node, query.Phrase):
            if not negated and node.fieldname == MATCH_FIELD:
                bonus.append(query.Phrase(TITLE_FIELD, node.words))
        elif not node.is_leaf():
            for child in node.children():
                walk(child, negated)

    walk(words, False)
    return query.AndMaybe(words, query.Or(bonus)) if bonus else words


def plain_words(text: str) -> query.Query:
    """The words of ``text`` with no syntax at all."""
    words = [w for w in _WORD.findall(text) if w not in ("AND", "OR", "NOT")]
    try:
        return PLAIN.parse(" ".join(words)) if words else query.NullQuery
    except Exception:  # noqa: BLE001
        return query.NullQuery


def compile_search(request: SearchRequest) -> query.Query:
    """The user's words, restricted by the filters, which add nothing to the relevance score."""
    words, filters = compile_text(request.query), compile_filters(request)
    if filters is None:
        return words
    # Not Whoosh's ``filter=`` argument: its collector is bypassed by the time limit's collector.
    return query.And([words, query.ConstantScoreQuery(filters, score=0.0)])


def compile_filters(request: SearchRequest) -> query.Query | None:
    """The filters as query objects (never pasted into a query string)."""
    terms = []
    if request.kind:
        terms.append(query.Term("kind", request.kind))
    terms.extend(query.Term("tag", slug) for slug in request.tags)
    if request.agency:
        terms.append(query.Term("agency", request.agency))
    if request.evidence_min:
        terms.append(query.NumericRange("evidence", request.evidence_min, None))
    if request.stage:
        terms.append(query.Term("stage", request.stage))
    return query.And(terms) if terms else None

