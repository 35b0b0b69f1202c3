"""What people type, made safe to search: cleaned, capped, with synonyms and acronyms spelt out.

The grammar we offer is small and the same for every backend: words, "quoted phrases",
AND / OR / NOT in capitals, and (brackets). Everything else is just text.
"""
import re
import unicodedata
from pathlib import Path

from exchange.search.interface import ParsedQuery

MAX_CHARS = 256
MAX_TERMS = 16
MAX_EXPANSIONS = 4
OPERATORS = {"AND", "OR", "NOT"}
_WORD = re.compile(r"\w+")


def parse(raw: str | None, synonyms: "Synonyms | None" = None) -> ParsedQuery:
    """Clean and cap the user's query and spell out any synonyms it contains."""
    text, shortened = clean(raw or "")
    known = synonyms.vocabulary if synonyms else set()
    # The words "did you mean" may correct: not operators, numbers or the synonyms' own words.
    words = tuple(w for w in _WORD.findall(text)
                  if w not in OPERATORS and not any(c.isdigit() for c in w) and w.casefold() not in known)
    expanded = synonyms.expand(text) if synonyms else text
    return ParsedQuery(text=expanded, original=text, shortened=shortened, words=words)


def clean(raw: str) -> tuple[str, bool]:
    """The query without control or formatting characters, at most MAX_CHARS and MAX_TERMS."""
    shortened = len(raw) > MAX_CHARS * 4
    raw = raw[: MAX_CHARS * 4]  # never normalise an unbounded string
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    terms = text.split()
    if len(terms) > MAX_TERMS:
        terms, shortened = terms[:MAX_TERMS], True
    text = " ".join(terms)
    if len(text) > MAX_CHARS:
        cut = text[:MAX_CHARS]
        text, shortened = (cut.rsplit(" ", 1)[0] if " " in cut else cut), True
    return text, shortened


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
