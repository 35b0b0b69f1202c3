"""The guided form's fields and the Markdown body, both ways: ``parse`` a body into fields, ``join`` them back.

A case study's guided form has one field per template section (``starters.CASE_STUDY``); a
playbook's has an introduction and a list of plays, each a title, why, checklist and key questions.
``join`` writes the sections as the template does (a ``##`` heading, a blank line, the text, a blank
line between sections), so the stored body, ``content/`` files, the API and export are unchanged.

``parse`` answers ``None`` (write in one Markdown box) whenever the fields could not give the body
back exactly (but for trailing newlines, which saving trims): a missing or reordered template
section, a play that is not a play. Text the
template does not know is kept where it stands: before the first section in the introduction, an
extra ``##`` section inside the field of the section it follows. So ``join(parse(body)) == body``
for every body ``parse`` accepts. Pure: no Flask, no database.
"""
import re
from dataclasses import dataclass, field

from exchange.articles.starters import STARTERS

_HEADING = re.compile(r"^##[ \t]+(?P<title>\S.*?)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_PLAY = re.compile(r"^Play (?P<number>\d+): (?P<title>\S.*)$")
_LIST_ITEM = re.compile(r"^[-*+][ \t]")
KEY_QUESTIONS = "### Key questions"

# What each case-study field asks for: the template's hint, said to the writer.
HINTS = {
    "Context": "Who you are, where, and the situation before you started.",
    "Challenge": "The problem you set out to solve, and for whom.",
    "What we did": "The steps you took, in order, with the people and tools involved.",
    "Results": "What changed, with numbers where there are any. A table works well: | Measure | Before | After |.",
    "Challenges and failures": "What went wrong or was harder than expected. Others learn most from this.",
    "Conditions for success": "What had to be true for this to work.",
    "Could it work elsewhere": "Which other agencies could use this, and what they would need to change.",
    "Lessons learned": "What you would tell another agency starting out: one lesson per line, each starting “- ”.",
    "Contact": "Team name and a way to reach you.",
}


@dataclass
class Play:
    title: str = ""
    why: str = ""
    checklist: str = ""
    questions: str = ""


@dataclass
class CaseStudy:
    """The fields of a guided case study: ``sections`` maps each template heading to its text."""
    intro: str = ""
    sections: dict[str, str] = field(default_factory=dict)


@dataclass
class Playbook:
    intro: str = ""
    plays: list[Play] = field(default_factory=list)


def case_study_headings() -> list[str]:
    """The case-study template's section headings, in order."""
    return [heading for heading, _ in _split(STARTERS["case_study"]) if heading]


def parse(kind: str, body: str) -> CaseStudy | Playbook | None:
    """The guided form's fields for ``body``, or None when only the one Markdown box keeps it exactly."""
    body = (body or "").replace("\r\n", "\n")
    parsed = _parse_case_study(body) if kind == "case_study" else _parse_playbook(body) if kind == "playbook" else None
    # The stored body has no final newline (saving trims it); the fields give it back but for that.
    return parsed if parsed is not None and join(parsed).rstrip("\n") == body.rstrip("\n") else None


def join(fields: CaseStudy | Playbook) -> str:
    """The Markdown body for the guided form's fields, laid out as the template is."""
    if isinstance(fields, CaseStudy):
        blocks = [_block(f"## {heading}", fields.sections.get(heading, "")) for heading in case_study_headings()]
    else:
        blocks = [_play_block(number, play) for number, play in enumerate(fields.plays, 1)]
    intro = _trim(fields.intro)
    return "\n\n".join(([intro] if intro else []) + blocks) + "\n"


def _block(heading: str, text: str) -> str:
    text = _trim(text)
    return f"{heading}\n\n{text}" if text else heading


def _play_block(number: int, play: Play) -> str:
    parts = [_trim(play.why), _checklist(play.checklist)]
    questions = _trim(play.questions)
    if questions:
        parts.append(f"{KEY_QUESTIONS}\n\n{questions}")
    title = " ".join(play.title.split()) or "Untitled play"
    return _block(f"## Play {number}: {title}", "\n\n".join(part for part in parts if part))


def _checklist(text: str) -> str:
    """Task lines: a line written without a list marker becomes an unticked ``- [ ]`` task."""
    lines = _trim(text).split("\n") if _trim(text) else []
    return "\n".join(line if _LIST_ITEM.match(line) or not line.strip() else f"- [ ] {line.strip()}"
                     for line in lines)


def _trim(text: str) -> str:
    """Text without blank lines at either end (inner lines kept as written)."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _split(body: str) -> list[tuple[str | None, list[str]]]:
    """(heading, text) for the text before the first ``##`` heading (None) and each section; fences respected."""
    return split_sections(body.split("\n"), _HEADING)


def split_sections(lines, heading_pattern: re.Pattern) -> list[tuple[str | None, list[str]]]:
    """``lines`` cut at each line ``heading_pattern`` matches outside a fenced code block: (its ``title``
    group, the lines under it), after (None, the lines before the first heading). The publishing checks
    use it too, with their own, more forgiving heading pattern."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    fence = None
    for line in lines:
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)[0]
        elif fence is not None and opened and opened.group(1)[0] == fence:
            fence = None
        heading = heading_pattern.match(line) if fence is None and not opened else None
        if heading:
            sections.append((heading.group("title"), []))
        else:
            sections[-1][1].append(line)
    return sections


def _parse_case_study(body: str) -> CaseStudy | None:
    wanted = case_study_headings()
    split = _split(body)
    found: dict[str, list[str]] = {}
    current = None
    for heading, lines in split[1:]:
        if heading in wanted and heading not in found:
            if wanted.index(heading) != len(found):
                return None  # out of the template's order
            current = heading
            found[heading] = list(lines)
        elif current is None:
            return None  # an extra section before the first template section
        else:  # an extra section stays inside the field of the section it follows
            found[current] += [f"## {heading}", *lines]
    if len(found) != len(wanted):
        return None
    return CaseStudy(intro=_trim("\n".join(split[0][1])),
                     sections={heading: _trim("\n".join(lines)) for heading, lines in found.items()})


def _parse_playbook(body: str) -> Playbook | None:
    split = _split(body)
    plays = []
    for heading, lines in split[1:]:
        titled = _PLAY.match(heading)
        if not titled:
            return None
        plays.append(_parse_play(titled.group("title"), "\n".join(lines)))
    return Playbook(intro=_trim("\n".join(split[0][1])), plays=plays) if plays else None


def _parse_play(title: str, text: str) -> Play:
    before, _, questions = text.partition(f"\n{KEY_QUESTIONS}\n")
    lines = before.split("\n")
    first_task = next((i for i, line in enumerate(lines) if _LIST_ITEM.match(line)), len(lines))
    return Play(title=title, why=_trim("\n".join(lines[:first_task])),
                checklist=_trim("\n".join(lines[first_task:])), questions=_trim(questions))
