"""The publishing check: a published article's sections say something beyond the template's own text.

An article starts from its kind's template (``starters``). A draft may keep the template's text; to be
published, every section the author kept must be filled in. A section is a level-2 heading and what
follows it. It is *unfilled* when it holds nothing but the template's own lines (its hints, the empty
results table, an empty list item) or nothing at all. A section the author removed is not asked for,
and one they added is checked only for holding template text alone. In a playbook the plays'
placeholder headings ("Play 1: Name the first play") must be renamed.
"""
import re
from dataclasses import dataclass

from exchange.articles.sections import split_sections
from exchange.articles.starters import STARTERS
from exchange.errors import Invalid

INTRODUCTION = "Introduction"
BODY = "Body"
_HEADING = re.compile(r"^ {0,3}##[ \t]+(?P<title>.*?)(?:[ \t]+#+)?[ \t]*$")
# Lines that say nothing on their own: blank, a table's empty row or rule, a bare list or task marker.
_EMPTY_LINE = re.compile(r"^(?:[\s|:\-]*|[-*+][ \t]*(?:\[[ xX]?\])?[ \t]*|\d+[.)][ \t]*)$")


@dataclass(frozen=True)
class Unfilled:
    section: str
    reason: str  # "empty", "template" (still the template's text) or "heading" (a placeholder heading)

    @property
    def message(self) -> str:
        """What the author is told, GOV.UK style: what to do, naming the section."""
        if self.reason == "heading":
            return f"Give “{self.section}” its own heading: it is the template's placeholder."
        if self.reason == "empty" and self.section == BODY:
            return "Write the article: its body is empty."
        if self.reason == "empty":
            return f"Write the “{self.section}” section, or remove its heading: it is empty."
        return f"Write the “{self.section}” section in your own words: it still holds the template's text."


def _norm(line: str) -> str:
    return " ".join(line.split()).casefold()


def _sections(body: str) -> list[tuple[str | None, list[str]]]:
    """(heading, lines) for the text before the first level-2 heading (None) and each level-2 section."""
    return [(heading.strip() if heading is not None else None, lines)
            for heading, lines in split_sections(body.splitlines(), _HEADING)]


def _said(lines: list[str]) -> list[str]:
    return [line for line in lines if not _EMPTY_LINE.match(line)]


def _template(kind: str) -> tuple[set[str], set[str]]:
    """The template's level-2 headings and its other lines, normalised."""
    sections = _sections(STARTERS[kind])
    headings = {_norm(heading) for heading, _ in sections if heading}
    lines = {_norm(line) for _, body in sections for line in _said(body)}
    return headings, lines


def unfilled_sections(kind: str, body: str) -> list[Unfilled]:
    """The sections of ``body`` not yet filled in, in order; empty when it may be published."""
    if kind not in STARTERS:
        return []
    if not _said((body or "").splitlines()):
        return [Unfilled(BODY, "empty")]
    headings, template_lines = _template(kind)
    found = []
    for heading, lines in _sections(body):
        said = _said(lines)
        own = [line for line in said if _norm(line) not in template_lines]
        name = heading or INTRODUCTION
        if heading and kind == "playbook" and _norm(heading) in headings:
            found.append(Unfilled(name, "heading"))
        elif heading and _norm(heading) in headings and not said:
            found.append(Unfilled(name, "empty"))
        elif said and not own:
            found.append(Unfilled(name, "template"))
    return found


def require_filled(kind: str, body: str) -> None:
    """Refuse to publish a body whose kept sections are empty or still the template's (422, ``fields.body``)."""
    missing = unfilled_sections(kind, body)
    if not missing:
        return
    names = ", ".join(f"“{each.section}”" for each in missing)
    raise Invalid(
        f"Fill in these sections before publishing (each is empty or still holds the template's text): {names}. "
        "A draft may keep them as they are.",
        {"body": f"sections to fill in before publishing: {names}"},
        sections=[{"section": each.section, "problem": each.reason, "message": each.message} for each in missing],
    )
