"""The Whoosh schema: which article fields are searched, stored, filtered and counted, and how."""
import re

from whoosh import fields
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.support.charset import accent_map

from exchange.search.interface import SearchDocument

# Words and dotted abbreviations; unlike Whoosh's default pattern, "*" is not part of a word,
# so no one can type a wildcard.
WORDS = r"\w+(\.?\w+)*"
# English stemming ("budgeting" finds "budget") after folding accents ("régie" finds "regie").
ANALYZER = RegexTokenizer(WORDS) | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter() | StemFilter()
# Unstemmed words, so "did you mean" suggests words people write rather than stems.
SPELLING_ANALYZER = RegexTokenizer(WORDS) | LowercaseFilter() | CharsetFilter(accent_map)

# The fields a query's words are looked for in, and how much a match in each counts.
TEXT_FIELDS = ("title", "summary", "body", "topics", "agency_name")
FIELD_BOOSTS = {"title": 4.0, "summary": 1.5, "body": 1.0, "topics": 2.0, "agency_name": 1.0}
SCORE_SCALE = 1000  # the endorsement score is kept as an integer column of thousandths
MICROSECONDS = 1_000_000  # the publication time is kept in microseconds, so order is exact

SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True, sortable=True),
    slug=fields.STORED,
    version=fields.ID(sortable=True),  # read as a column by ``check``
    title=fields.TEXT(analyzer=ANALYZER, field_boost=FIELD_BOOSTS["title"], stored=True),
    summary=fields.TEXT(analyzer=ANALYZER, field_boost=FIELD_BOOSTS["summary"], stored=True),
    body=fields.TEXT(analyzer=ANALYZER, stored=True),  # stored for snippets
    topics=fields.TEXT(analyzer=ANALYZER, field_boost=FIELD_BOOSTS["topics"]),
    agency_name=fields.TEXT(analyzer=ANALYZER, stored=True),
    spelling=fields.TEXT(analyzer=SPELLING_ANALYZER, phrase=False),
    tag_list=fields.STORED,  # [(slug, name), ...] for display
    # Filters and facets: columns, so counting them stays cheap.
    kind=fields.ID(stored=True, sortable=True),
    tag=fields.KEYWORD(commas=True, scorable=False),
    agency=fields.ID(stored=True, sortable=True),
    evidence=fields.NUMERIC(int, bits=8, signed=False, stored=True, sortable=True, default=0),
    stage=fields.ID(stored=True, sortable=True),
    published=fields.NUMERIC(int, bits=64, stored=True, sortable=True, default=0),
    score=fields.NUMERIC(int, bits=64, stored=True, sortable=True, default=0),
)

_WORDS = re.compile(r"\w+")


def fields_for(document: SearchDocument) -> dict:
    """The values Whoosh indexes for one article."""
    values = {
        "id": str(document.id),
        "slug": document.slug,
        "version": document.version,
        "title": document.title,
        "summary": document.summary,
        "body": document.body,
        "topics": " ".join(name for _, name in document.tags),
        "agency_name": document.agency_name,
        # Each distinct word once: suggestions need the vocabulary, not the counts.
        "spelling": " ".join(set(_WORDS.findall(f"{document.title} {document.body}".lower()))),
        "tag_list": [list(pair) for pair in document.tags],
        "kind": document.kind,
        "agency": document.agency_slug,
        "evidence": document.evidence_level or 0,
        "published": round(document.published_at.timestamp() * MICROSECONDS) if document.published_at else 0,
        "score": round(max(document.score, 0.0) * SCORE_SCALE),
    }
    if document.tags:
        values["tag"] = ",".join(slug for slug, _ in document.tags)
    if document.stage:
        values["stage"] = document.stage
    return values
