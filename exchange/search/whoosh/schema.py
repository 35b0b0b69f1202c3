"""The Whoosh schema: which article fields are searched, stored, filtered and counted, and how."""
from array import array
from collections import Counter

from whoosh import fields, formats
from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.support.charset import accent_map
from whoosh.system import _INT_SIZE, pack_uint

from exchange.search import words
from exchange.search.interface import SearchDocument

# Words and dotted abbreviations; unlike Whoosh's default pattern, "*" is not part of a word,
# so no one can type a wildcard.
WORDS = r"\w+(\.?\w+)*"
MAX_CACHED_WORDS = 200_000


class WordCachedAnalyzer(CompositeAnalyzer):
    """Words, lower case, accents folded, then (``stem``) stop words out and Snowball English stems.

    The stop words and stems are ``exchange.search.words``: the same for every backend. Stop
    words are left out of the index as well as of queries (positions run on over them, so a
    quoted phrase with a stop word in it still matches its words next to each other). Measured
    on CISI (nDCG@10): 0.418 with stop words out of the index, 0.406 with them kept in it
    (and out of queries only): BM25's document lengths then count words no one searches for.

    The same tokens as that pipeline of Whoosh filters, from one loop. Whoosh runs a pipeline as
    a chain of generators, several Python calls per token; here what a word becomes is worked
    out once per distinct word and kept, which makes indexing several times faster. For
    character offsets (which the site never asks for), it runs the pipeline itself.
    """

    def __init__(self, stem: bool = True):
        items = [RegexTokenizer(WORDS), LowercaseFilter(), CharsetFilter(accent_map)]
        if stem:
            items += [StopFilter(stoplist=words.STOP_WORDS, minsize=2), StemFilter(stemfn=snowball)]
        super().__init__(*items)
        self.stem = stem
        self._forms = ({}, {})  # word as written -> (folded, indexed form or None when stopped); with, without stems

    def __getstate__(self):  # the schema is pickled into the index: not the cache
        return {key: value for key, value in self.__dict__.items() if key != "_forms"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._forms = ({}, {})

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        if chars or keeporiginal or not tokenize:
            return super().__call__(value, no_morph=no_morph, positions=positions, chars=chars,
                                    keeporiginal=keeporiginal, removestops=removestops, start_pos=start_pos,
                                    start_char=start_char, tokenize=tokenize, mode=mode, **kwargs)
        return self._tokens(value, Token(positions, chars, removestops=removestops, mode=mode, **kwargs),
                            start_pos, no_morph)

    def _tokens(self, value, token, start_pos, no_morph):
        forms = self._forms[1 if no_morph else 0]
        if len(forms) > MAX_CACHED_WORDS:
            forms.clear()
        positions, removestops, renumber = token.positions, token.removestops, self.stem
        position = None
        for number, match in enumerate(self.items[0].expression.finditer(value)):
            word = match.group(0)
            found = forms.get(word)
            if found is None:
                found = forms[word] = self._form(word, no_morph)
            folded, form = found
            token.boost = 1.0
            if form is None:  # a stop word: gone, or marked and unstemmed
                if removestops:
                    continue
                token.text, token.stopped = folded, True
                if positions:
                    token.pos = start_pos + number
                yield token
                continue
            token.text, token.stopped = form, False
            if positions:
                if renumber:  # as StopFilter does: positions run on over the stop words taken out
                    position = start_pos + number if position is None else position + 1
                    token.pos = position
                else:
                    token.pos = start_pos + number
            yield token

    def _form(self, word: str, no_morph: bool) -> tuple[str, str | None]:
        folded = word.lower().translate(self.items[2].charmap)
        if not self.stem:
            return folded, folded
        stop, stemmer = self.items[3], self.items[4]
        if len(folded) < stop.min or (stop.max is not None and len(folded) > stop.max) or folded in stop.stops:
            return folded, None
        if no_morph or folded in stemmer.ignore:
            return folded, folded
        return folded, stemmer._stem(folded)


def snowball(word: str) -> str:
    """The Snowball English stem (a module function, so the pickled schema names it)."""
    return words.stem(word)


# English stemming ("budgeting" finds "budget") after folding accents ("régie" finds "regie").
ANALYZER = WordCachedAnalyzer(stem=True)
# Unstemmed words, so "did you mean" suggests words people write rather than stems.
SPELLING_ANALYZER = WordCachedAnalyzer(stem=False)

class CountedWords(Tokenizer):
    """The spelling vocabulary: ``word:count`` items, each one token whose weight is the count.

    "Did you mean" needs the words and how common they are, not which article has which word;
    so a rebuild adds the vocabulary of all articles as a few documents of counted words
    instead of a posting for every word of every article (half of all postings, before).
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for number, item in enumerate(value.split()):
            word, _, count = item.rpartition(":")
            if not word:
                word, count = count, "1"
            token.text, token.stopped = word, False
            token.boost = float(count) if count.isdigit() else 1.0
            if positions:
                token.pos = start_pos + number
            yield token


class CompactPositions(formats.Positions):
    """Whoosh's positions, kept as an array of numbers rather than a pickle of differences.

    Finding a phrase means decoding its words' positions in every document that has them all;
    an array decodes many times faster than a pickle. The first four bytes are the count, as in
    Whoosh's own format, so frequencies and weights read the same way.
    """

    def encode(self, poslist):
        return pack_uint(len(poslist)) + array("I", poslist).tobytes()

    def decode_positions(self, valuestring):
        positions = array("I")
        positions.frombytes(valuestring[_INT_SIZE:])
        return positions.tolist()


# The fields a query's words are looked for in, and how much a match in each counts. The
# title, summary, body, topics and agency name are indexed as one field: a word is then one
# posting list to read, not five (a query on two common words ran three times slower).
MATCH_FIELD = "text"  # title, summary, body, topics and agency name: what a query must match
TITLE_FIELD = "title"  # the title again, for its boost
FIELD_BOOSTS = {"title": 1.0, "text": 1.0}  # the title's weight is in the query (``TITLE_WEIGHT``)
TOPIC_REPEAT = 2  # topics count twice in the text
SCORE_SCALE = 1000  # the endorsement score is kept as an integer column of thousandths
MICROSECONDS = 1_000_000  # the publication time is kept in microseconds, so order is exact
SCHEMA_VERSION = "6"  # a generation built with another version is not read (``store``)
VOCABULARY_WORDS = 5000  # words per vocabulary document

SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True, sortable=True),
    slug=fields.STORED,
    version=fields.ID(sortable=True),  # read as a column by ``check``
    title=fields.TEXT(analyzer=ANALYZER, field_boost=FIELD_BOOSTS["title"], stored=True),
    text=fields.TEXT(analyzer=ANALYZER, field_boost=FIELD_BOOSTS["text"]),  # positions: CompactPositions (below)
    summary=fields.STORED,  # for snippets and display
    body=fields.STORED,
    agency_name=fields.STORED,
    spelling=fields.TEXT(analyzer=CountedWords(), phrase=False),
    tag_list=fields.STORED,  # [(slug, name), ...] for display
    # Filters and facets: columns, so counting them stays cheap.
    kind=fields.ID(stored=True, sortable=True),
    tag=fields.KEYWORD(commas=True, scorable=False),
    agency=fields.ID(stored=True, sortable=True),
    evidence=fields.NUMERIC(int, bits=8, signed=False, stored=True, sortable=True, default=0),
    stage=fields.ID(stored=True, sortable=True),
    country=fields.ID(stored=True, sortable=True),  # the agency's
    level=fields.ID(stored=True, sortable=True),  # the agency's level of government
    published=fields.NUMERIC(int, bits=64, stored=True, sortable=True, default=0),
    score=fields.NUMERIC(int, bits=64, stored=True, sortable=True, default=0),
)


SCHEMA["text"].format = CompactPositions(field_boost=FIELD_BOOSTS["text"])
SCHEMA["title"].format = CompactPositions(field_boost=FIELD_BOOSTS["title"])


def written_words(document: SearchDocument) -> set[str]:
    """The distinct words of an article as written (before folding)."""
    text = f"{document.title} {document.summary} {document.body}"
    return {match.group() for match in SPELLING_ANALYZER.items[0].expression.finditer(text)}


def spelling_words(document: SearchDocument) -> set[str]:
    """The distinct words of an article as people write them (folded, not stemmed)."""
    return {token.text for token in SPELLING_ANALYZER(" ".join(written_words(document)))}


def vocabulary(written: Counter) -> Counter:
    """Folded words with how many articles have them, from counts of words as written."""
    folded = Counter()
    for word, count in written.items():
        for token in SPELLING_ANALYZER(word):
            folded[token.text] += count
    return folded


def fields_for(document: SearchDocument, spelling: bool = True) -> dict:
    """The values Whoosh indexes for one article; its own spelling words unless a rebuild counts them."""
    topics = " ".join(name for _, name in document.tags)
    values = {
        "id": str(document.id),
        "slug": document.slug,
        "version": document.version,
        "title": document.title,
        "text": "\n".join([document.title, document.summary, document.body, *[topics] * TOPIC_REPEAT,
                           document.agency_name]),
        "summary": document.summary,
        "body": document.body,
        "agency_name": document.agency_name,
        "tag_list": [list(pair) for pair in document.tags],
        "kind": document.kind,
        "agency": document.agency_slug,
        "evidence": document.evidence_level or 0,
        "published": round(document.published_at.timestamp() * MICROSECONDS) if document.published_at else 0,
        "score": round(max(document.score, 0.0) * SCORE_SCALE),
    }
    if spelling:
        values["spelling"] = " ".join(f"{word}:1" for word in spelling_words(document))
    if document.tags:
        values["tag"] = ",".join(slug for slug, _ in document.tags)
    if document.stage:
        values["stage"] = document.stage
    if document.agency_country:
        values["country"] = document.agency_country
    if document.agency_level:
        values["level"] = document.agency_level
    return values
