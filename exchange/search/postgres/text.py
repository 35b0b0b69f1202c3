"""What the PostgreSQL index holds of an article, and what a query asks of it: made here, in Python.

Words are found, folded and stemmed by the same rules as the Whoosh backend (words of word
characters, dotted abbreviations kept whole, lower case, accents folded, the Snowball English
stems of ``exchange.search.words``), so both backends see the same words. PostgreSQL receives
the result as a ready ``tsvector`` and ``tsquery`` (quoted lexemes, never parsed by a text
search configuration), so nothing it would do differently (its own tokens for e-mail
addresses or hyphenated words, its own stop list) can make the index and the queries disagree.

Stop words (``exchange.search.words``) and single characters are left out of the index as in
Whoosh, and positions run on over them, so the quoted phrase "freedom of information" finds
"freedom" next to "information". The ``tsvector`` (every content word with its positions) is
what matches; the postings (term, count in the text, count in the title) are what BM25 counts.
"""
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from exchange.search.interface import SearchDocument
from exchange.search.words import MAX_WORDS, is_stop, stem

WORDS = re.compile(r"\w+(?:\.?\w+)*")  # as the Whoosh analyzer: "*" is never part of a word
TOPIC_REPEAT = 2  # topics count twice in the text, as in the Whoosh backend
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position (larger ones would be cut to it)
MAX_POSITIONS = 256  # PostgreSQL keeps at most this many positions of one word
MAX_WORD_CHARS = 100  # longer "words" (a pasted hash, a run of digits) are not indexed
MAX_DEPTH = 16  # brackets nested deeper are read as plain text
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l",
                       "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "ð": "d", "ı": "i"})


def fold(word: str) -> str:
    """Lower case without accents: "Régie" is "regie"."""
    word = word.lower().translate(_FOLD)
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def is_content(folded: str) -> bool:
    """Whether a folded word counts for ranking: not a stop word, not a single character."""
    return len(folded) > 1 and not is_stop(folded)


def analyse(text: str) -> list[tuple[str, bool]]:
    """Each word of ``text`` as (stem, counts for ranking), in order."""
    found = []
    for match in WORDS.finditer(text):
        folded = fold(match.group())
        if len(folded) <= MAX_WORD_CHARS:
            found.append((stem(folded), is_content(folded)))
    return found


def indexed_text(document: SearchDocument) -> str:
    """What the text field holds: title, summary, body, topics (twice) and agency, as Whoosh's."""
    topics = " ".join(name for _, name in document.tags)
    return "\n".join([document.title, document.summary, document.body, *[topics] * TOPIC_REPEAT,
                      document.agency_name])


@dataclass(frozen=True)
class Indexed:
    """One article as the index holds it."""

    vector: str  # tsvector input: every content word with its positions
    postings: dict[str, tuple[int, int]]  # content stem -> (count in the text, count in the title)
    text_length: int  # content words in the text
    title_length: int  # content words in the title


def index(document: SearchDocument) -> Indexed:
    """The tsvector, postings and lengths of one article."""
    words = [lexeme for lexeme, content in analyse(indexed_text(document)) if content]
    positions: dict[str, list[int]] = {}
    for number, lexeme in enumerate(words[:MAX_POSITION], start=1):
        kept = positions.setdefault(lexeme, [])
        if len(kept) < MAX_POSITIONS:
            kept.append(number)
    counts = Counter(words)
    title = Counter(lexeme for lexeme, content in analyse(document.title) if content)
    return Indexed(
        vector=" ".join(f"{_quote(lexeme)}:{','.join(map(str, kept))}" for lexeme, kept in positions.items()),
        postings={lexeme: (n, title.get(lexeme, 0)) for lexeme, n in counts.items()},
        text_length=len(words),
        title_length=sum(title.values()),
    )


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# --- queries -------------------------------------------------------------------------------------

_TOKEN = re.compile(r'"([^"]*)"?|(\()|(\))|(?:(?<!\S)(-)(?=["\w(]))|(\w+(?:\.?\w+)*)')
OPERATORS = ("AND", "OR", "NOT")


@dataclass(frozen=True)
class CompiledQuery:
    """A query for PostgreSQL: what must match, and the words that score."""

    tsquery: str  # tsquery input ("" when nothing is asked)
    terms: tuple[tuple[str, int], ...]  # content stems outside negations, with how often they were asked
    plain: bool = False  # only words, any of them: an article matches if it has a posting for one


def compile_query(text: str) -> CompiledQuery:
    """Our grammar (words, "phrases", AND, OR, NOT or -word, brackets) as a tsquery and its scoring terms.

    As in the Whoosh backend (``exchange.search.whoosh.query.ranked``): words and quoted phrases
    side by side are each optional (any of them matches; BM25 ranks those with more of them
    first); a phrase matches only where its words stand in a row; ``-word`` and ``NOT word`` leave out;
    ``a AND b`` needs both, ``a OR b`` either. Stop words are dropped (they are not in the
    index), and a word asked twice weighs twice. Every operand is a quoted lexeme, unbalanced
    brackets and dangling operators are dropped, so the result always parses; at most
    MAX_WORDS words are used.
    """
    tokens = []
    words = 0
    for phrase, opening, closing, minus, word in _TOKEN.findall(text):
        if opening or closing:
            tokens.append(opening or closing)
        elif minus:
            tokens.append("NOT")
        elif word in OPERATORS:
            tokens.append(word)
        elif word or phrase:
            stems = tuple(lexeme for lexeme, content in analyse(word or phrase) if content)
            if not stems or words >= MAX_WORDS:
                continue  # stop words alone: what people ask with, not what they ask about
            words += len(stems)
            tokens.append(("phrase" if phrase and len(stems) > 1 else "word", stems))
    tree = _Parser(tokens).expression()
    terms: Counter = Counter()
    if tree is not None:
        _scoring_terms(tree, terms)
    return CompiledQuery(tsquery=_emit(tree) if tree is not None else "", terms=tuple(terms.items()),
                         plain=tree is not None and _plain(tree))


class _Parser:
    """group := or (or)* ; or := and (OR and)* ; and := unary (AND unary)* ; unary := NOT unary | ( group ) | operand.

    Words side by side make a group (optional words); AND and OR bind tighter, as in Whoosh.
    """

    def __init__(self, tokens):
        self.tokens, self.at, self.depth = tokens, 0, 0

    def _peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def expression(self):
        parts = [p for p in [self._group()] if p]
        while self._peek() == ")":  # an unmatched closing bracket: skip it, the rest is more words
            self.at += 1
            more = self._group()
            if more:
                parts.append(more)
        return _node("group", parts)

    def _group(self):
        parts = []
        while self._peek() not in (None, ")"):
            if self._peek() in ("OR", "AND"):  # a dangling operator
                self.at += 1
                continue
            part = self._or()
            if part:
                parts.append(part)
        return _node("group", parts)

    def _or(self):
        parts = [p for p in [self._and()] if p]
        while self._peek() == "OR":
            self.at += 1
            if self._peek() in (None, ")", "OR", "AND"):
                break
            part = self._and()
            if part:
                parts.append(part)
        return _node("or", parts)

    def _and(self):
        parts = [p for p in [self._unary()] if p]
        while self._peek() == "AND":
            self.at += 1
            if self._peek() in (None, ")", "OR", "AND"):
                break
            part = self._unary()
            if part:
                parts.append(part)
        return _node("and", parts)

    def _unary(self):
        token = self._peek()
        self.at += 1
        if token == "NOT":
            negations = 1
            while self._peek() == "NOT":  # read in a loop: "NOT NOT NOT ..." must not recurse
                self.at += 1
                negations += 1
            if self._peek() in (None, "OR", ")", "AND"):
                return None
            operand = self._unary()
            return (("not", operand) if negations % 2 else operand) if operand else None
        if token == "(":
            self.depth += 1
            inner = self._group() if self.depth <= MAX_DEPTH else None
            self.depth -= 1
            if self._peek() == ")":
                self.at += 1
            return inner
        if token in (None, ")", "OR", "AND"):
            return None
        return token


def _node(kind, parts):
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else (kind, parts)


def _emit(node) -> str:
    kind = node[0]
    if kind == "word":
        return _quote(node[1][0])
    if kind == "phrase":
        return " <-> ".join(_quote(s) for s in node[1])
    if kind == "not":
        return f"!({_emit(node[1])})"
    if kind == "and":
        return " & ".join(f"({_emit(p)})" for p in node[1])
    if kind == "or":
        return " | ".join(f"({_emit(p)})" for p in node[1])
    # A group: any of its words and phrases (a phrase only where its words stand together), never
    # a negated part.
    unwanted = [p for p in node[1] if p[0] == "not"]
    wanted = [p for p in node[1] if p[0] != "not"]
    parts = [" | ".join(f"({_emit(p)})" for p in wanted)] if wanted else []
    parts += [_emit(p) for p in unwanted]
    return " & ".join(f"({p})" for p in parts) if len(parts) > 1 else parts[0]


def _scoring_terms(node, terms: Counter) -> None:
    kind = node[0]
    if kind in ("word", "phrase"):
        terms.update(node[1])
    elif kind in ("and", "or", "group"):
        for part in node[1]:
            _scoring_terms(part, terms)


def _plain(node) -> bool:
    """Whether ``node`` is words joined by OR alone (side by side or written), nothing else."""
    if node[0] == "word":
        return True
    return node[0] in ("group", "or") and all(_plain(part) for part in node[1])
