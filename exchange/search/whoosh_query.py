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
from exchange.search.whoosh_schema import SCHEMA, TEXT_FIELDS

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")


def _parser(*offered) -> qparser.QueryParser:
    # Each word is looked for in every text field; the fields' boosts are in the schema.
    return qparser.MultifieldParser(TEXT_FIELDS, SCHEMA, plugins=list(offered))


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
        return FULL.parse(parsed.text)
    except Exception:  # noqa: BLE001 - any parser failure means: search the plain words
        log.info("query fell back to plain words: %r", parsed.text)
        return plain_words(parsed.text)


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

