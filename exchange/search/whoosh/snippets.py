"""Snippets: a few words around the matches, escaped, with only our own <mark> tags.

Whoosh's highlighter re-analyses the whole text of every hit through its token pipeline
(about 25 ms for a long case study), which would cost more than the search itself. Here one
regular expression finds the words that start like a query term, and only those are
analysed (once each, cached) to see whether they really are one of its terms.
"""
import re
from functools import lru_cache

from markupsafe import Markup, escape

from exchange.search.whoosh.schema import ANALYZER

SOURCE_CHARS = 20_000  # look for matches this far into a text, no further
WIDTH = 220  # characters in a snippet
WORD = re.compile(r"\w+")


@lru_cache(maxsize=50_000)
def indexed_form(word: str) -> str | None:
    """What the index holds for a word (folded and stemmed), or None for a stop word."""
    forms = [token.text for token in ANALYZER(word)]
    return forms[0] if len(forms) == 1 else None


def query_terms(whoosh_query, fields=("text",)) -> frozenset[str]:
    """The indexed forms the query looks for in the snippet fields."""
    return frozenset(text if isinstance(text, str) else text.decode("utf-8")
                     for field, text in whoosh_query.iter_all_terms() if field in fields)


def snippet(stored: dict, terms: frozenset[str]) -> Markup:
    """The best passage of the body (or summary) for these terms; the summary if none matches."""
    for field in ("body", "summary"):
        text = (stored.get(field) or "")[:SOURCE_CHARS]
        matches = _matches(text, terms) if terms else []
        if matches:
            return _passage(text, matches)
    return escape(stored.get("summary") or "")


def _matches(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    # Accented text may fold into a term without starting like it: then look at every word.
    words = _candidates(terms) if text.isascii() else WORD
    return [m.span() for m in words.finditer(text) if indexed_form(m.group().lower()) in terms]


@lru_cache(maxsize=1024)
def _candidates(terms: frozenset[str]) -> re.Pattern:
    """Words starting like a term. A stem may change its last letter ("sky" is "ski"), so not that one."""
    prefixes = sorted({term[:min(4, len(term) - 1)] or term for term in terms})
    return re.compile(r"\b(?:{})\w*".format("|".join(map(re.escape, prefixes))), re.IGNORECASE)


def _passage(text: str, matches: list[tuple[int, int]]) -> Markup:
    start, end = _densest_window(matches)
    start, end = _widen(text, start, end)
    pieces, position = [], start
    for match_start, match_end in matches:
        if match_start < start or match_end > end:
            continue
        pieces.append(escape(text[position:match_start]))
        pieces.append(Markup("<mark>%s</mark>") % text[match_start:match_end])
        position = match_end
    pieces.append(escape(text[position:end]))
    before = "… " if start > 0 else ""
    after = " …" if end < len(text) else ""
    return Markup(before) + Markup("").join(pieces).strip() + Markup(after)


def _densest_window(matches: list[tuple[int, int]]) -> tuple[int, int]:
    """The span of the most matches that fit in WIDTH characters (the earliest, if several)."""
    best, first = (0, 0), 0
    for last in range(len(matches)):
        while matches[last][1] - matches[first][0] > WIDTH:
            first += 1
        if last - first > best[1] - best[0]:
            best = (first, last)
    return matches[best[0]][0], matches[best[1]][1]


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow the span to WIDTH characters around the matches, cutting at spaces outside them."""
    spare = max(WIDTH - (end - start), 0)
    wide_start = max(start - spare // 3, 0)
    wide_end = min(end + spare - spare // 3, len(text))
    if wide_start > 0:
        space = text.find(" ", wide_start, start)
        wide_start = space + 1 if space != -1 else start
    if wide_end < len(text):
        space = text.rfind(" ", end, wide_end)
        wide_end = space if space != -1 else end
    return wide_start, wide_end
