"""Readable differences between two revisions."""
import difflib
from dataclasses import dataclass, field


@dataclass
class FieldChange:
    name: str
    old: str
    new: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): kind is ' ', '+', '-', '@'


def _line_diff(old: str, new: str) -> list[tuple[str, str]]:
    lines = []
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
    for line in list(diff)[2:]:  # drop the ---/+++ header
        kind = line[:1] if line[:1] in "+-@" else " "
        text = line if kind == "@" else line[1:]
        lines.append(("@", "⋯") if kind == "@" else (kind, text))
    return lines


def _as_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def _same_topics(old: list[str], new: list[str]) -> bool:
    return sorted(name.casefold() for name in old) == sorted(name.casefold() for name in new)


def compare(old, new) -> list[FieldChange]:
    """What changed from revision ``old`` to ``new``, field by field."""
    changes = []
    pairs = [("Title", old.title, new.title), ("Summary", old.summary, new.summary),
             ("Topics", old.tags, new.tags)]
    for key in sorted(set(old.meta) | set(new.meta)):
        pairs.append((key.replace("_", " ").capitalize(), old.meta.get(key), new.meta.get(key)))
    for name, before, after in pairs:
        if name == "Topics" and _same_topics(before, after):
            continue  # the same topics in another order (older revisions kept the order typed)
        if _as_text(before) != _as_text(after):
            changes.append(FieldChange(name, _as_text(before), _as_text(after)))
    if old.body != new.body:
        changes.append(FieldChange("Body", "", "", _line_diff(old.body, new.body)))
    return changes
