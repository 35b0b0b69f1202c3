"""What people type, made safe to search: cleaned, capped, stop words out, synonyms spelt out.

The grammar we offer is small and the same for every backend: words, "quoted phrases",
``-word`` (or ``-"a phrase"``) to leave out, AND / OR / NOT in capitals, and (brackets).
Everything else is just text.

Plain words are ranked, not required: a backend finds every article with at least one of them
and puts those with more of them, and rarer ones, first. Words that say nothing about what is
wanted (``exchange.search.words.STOP_WORDS``: "how", "did", "the", "papers") are dropped
outside quotes; inside quotes every word stays, so a phrase is matched as written.
"""
import re
import unicodedata
from pathlib import Path

from exchange.search.interface import ParsedQuery
from exchange.search.words import MAX_WORDS, is_stop

MAX_CHARS = 2000  # of the cleaned query: 64 content words and the words between them fit
MAX_TERMS = MAX_WORDS  # content words (stop words aside); beyond that the query is shortened and says so
READ_CHARS = 20_000  # never normalise more of an unbounded string than this
MAX_EXPANSIONS = 4
OPERATORS = {"AND", "OR", "NOT"}
_WORD = re.compile(r"\w+")
# A word outside quotes, with the minus that leaves it out, as the stop-word pass sees it.
_PLAIN_WORD = re.compile(r"(?<![\w'’-])(-?)(\w+(?:['’-]\w+)*)")
_MINUS = re.compile(r'(?<![\w\-])-(?=["(\w])')


def parse(raw: str | None, synonyms: "Synonyms | None" = None) -> ParsedQuery:
    """Clean and cap the user's query, drop its stop words and spell out any synonyms it contains."""
    text, shortened = clean(raw or "")
    known = synonyms.vocabulary if synonyms else set()
    searched = drop_stop_words(text)
    # The words "did you mean" may correct: not operators, stop words, numbers or the synonyms' own words.
    words = tuple(w for w in _WORD.findall(text)
                  if w not in OPERATORS and not any(c.isdigit() for c in w) and w.casefold() not in known
                  and not is_stop(w.casefold()))
    expanded = synonyms.expand(searched) if synonyms else searched
    return ParsedQuery(text=_minus_as_not(expanded), original=text, shortened=shortened, words=words,
                       content_words=content_words(text))


def clean(raw: str) -> tuple[str, bool]:
    """The query without control or formatting characters, up to its MAX_WORDS-th content word
    and at most MAX_CHARS; whether anything was cut."""
    shortened = len(raw) > READ_CHARS
    raw = raw[:READ_CHARS]
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    kept, count = [], 0
    for term in text.split():
        count += sum(1 for word in _WORD.findall(term) if _is_content(word))
        if count > MAX_WORDS and kept:
            shortened = True
            while kept and not any(_is_content(word) for word in _WORD.findall(kept[-1])):
                kept.pop()  # end on the last content word kept
            break
        kept.append(term)
    text = " ".join(kept)
    if len(text) > MAX_CHARS:
        cut = text[:MAX_CHARS]
        text, shortened = (cut.rsplit(" ", 1)[0] if " " in cut else cut), True
    return text, shortened


def content_words(text: str) -> tuple[str, ...]:
    """The distinct words of a query that carry meaning, lower case, in order (quoted ones too)."""
    return tuple(dict.fromkeys(w.casefold() for w in _WORD.findall(text) if _is_content(w)))


def drop_stop_words(text: str) -> str:
    """``text`` without the stop words outside quotes; as it is if nothing but stop words is left.

    Operators in capitals stay; inside quotes nothing is dropped (an unclosed quote runs to the end).
    """
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = _PLAIN_WORD.sub(_unless_stop, parts[i])
    dropped = '"'.join(parts)
    if not any(_is_content(word) for word in _WORD.findall(dropped)):
        return text
    return " ".join(dropped.split())


def _unless_stop(match: re.Match) -> str:
    word = match.group(2)
    if word in OPERATORS or not all(is_stop(w.casefold()) for w in _WORD.findall(word)):
        return match.group(0)
    return ""


def _is_content(word: str) -> bool:
    return word not in OPERATORS and not is_stop(word.casefold())


def _minus_as_not(text: str) -> str:
    """``-word`` and ``-"a phrase"`` outside quotes as ``NOT word``: one operator for every backend.

    A minus inside a word ("e-government") or a quote stays what it is.
    """
    return _MINUS.sub(lambda m: m.group(0) if text.count('"', 0, m.start()) % 2 else "NOT ", text)


class Synonyms:
    """Groups of equivalent words and phrases, read from a file of lines like ``foi = freedom of information``.

    Every phrase on a line, on either side of ``=`` and separated by commas, means the same.
    """

    def __init__(self, groups: list[tuple[str, ...]]):
        self.groups = groups
        self.vocabulary = {word for group in groups for phrase in group for word in _WORD.findall(phrase)}
        self._patterns = sorted(
            ((phrase, group, _phrase_pattern(phrase)) for group in groups for phrase in group),
            key=lambda item: -len(item[0]),  # the longest phrase wins an overlap
        )

    @classmethod
    def load(cls, path) -> "Synonyms":
        """Read the file; a missing file means no synonyms."""
        file = Path(path) if path else None
        if file is None or not file.is_file():
            return cls([])
        return cls.parse(file.read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, text: str) -> "Synonyms":
        groups = []
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip().lower()
            phrases = tuple(dict.fromkeys(" ".join(p.split()) for p in re.split(r"[=,]", line) if p.strip()))
            if len(phrases) > 1:
                groups.append(phrases)
        return cls(groups)

    def expand(self, text: str) -> str:
        """``text`` with each known phrase (outside quotes) replaced by a group of all its equivalents."""
        taken: list[tuple[int, int, tuple[str, ...]]] = []
        for _phrase, group, pattern in self._patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if text.count('"', 0, start) % 2 or any(s < end and start < e for s, e, _ in taken):
                    continue
                taken.append((start, end, group))
                if len(taken) >= MAX_EXPANSIONS:
                    break
            if len(taken) >= MAX_EXPANSIONS:
                break
        for start, end, group in sorted(taken, reverse=True):
            text = text[:start] + _alternatives(group) + text[end:]
        return text


def _phrase_pattern(phrase: str) -> re.Pattern:
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"(?<![\w\-]){words}(?![\w\-])", re.IGNORECASE)


def _alternatives(group: tuple[str, ...]) -> str:
    return "(" + " OR ".join(f'"{p}"' if " " in p or "-" in p else p for p in group) + ")"
