"""Import a Word document (.docx) as a draft: mammoth reads it, ``markdown_of`` writes the Markdown.

Headings, paragraphs, bold and italic, lists, tables and web links come across; images are checked and
re-encoded as uploads; the headings that name a section of the kind's template take its wording, so
the publishing check knows them. Nothing is fetched from outside the file: linked images, templates
and objects are dropped and the author is told. A hostile file (a zip bomb, a giant image) is refused
before anything is stored.
"""
import hashlib
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import mammoth

from exchange.articles import rules
from exchange.articles import services as articles
from exchange.articles.starters import STARTERS
from exchange.db import db
from exchange.errors import DomainError
from exchange.files import formats
from exchange.files.services import TooLarge, record_upload, require_quota, require_small_enough, safe_name
from exchange.permissions import Actor, require_member, require_verified

STYLE_MAP = "p[style-name='Title'] => h1.title:fresh\np[style-name='Subtitle'] => p:fresh"
_EXTERNAL = re.compile(rb'<Relationship\b[^>]*TargetMode="External"[^>]*>')
_LINK_TYPES = (b"/hyperlink",)
NOT_DOCX = "Upload a Word document saved as .docx (Word 2007 or later): that file is not one."


@dataclass
class Imported:
    """What importing made: the draft and what the author should know (dropped parts, unmatched sections)."""

    article: object
    notes: list[str] = field(default_factory=list)


def import_docx(actor: Actor, data: bytes, filename: str, kind: str = "case_study") -> Imported:
    """Make a draft from a .docx; refuses anything else or anything hostile, storing nothing then."""
    require_member(actor)
    require_verified(actor)
    require_small_enough(len(data))
    kind = rules.clean_kind(kind or "case_study")
    if not data.startswith(b"PK\x03\x04"):
        raise formats.Refused(NOT_DOCX, {"file": "not a .docx"})
    if formats.office_kind(data) != formats.DOCX:
        raise formats.Refused(NOT_DOCX, {"file": "not a .docx"})
    reader = _Reader()
    archive = formats.safe_zip(data)
    dropped = _external_references(archive)
    with archive:
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(reader.image))
    reader.raise_refusal()
    title, body, summary = markdown_of(result.value, kind)
    notes = _notes(dropped + reader.dropped, kind, body)
    fields = {"title": _title(title, filename), "kind": kind, "summary": summary or "Imported from a Word document.",
              "body": body, "status": "draft"}
    rules.clean_fields(fields, required=("title", "kind", "summary"))  # refuse before storing anything
    require_quota(actor.agency_id, sum(len(image.data) for image in reader.images))
    for image, name in zip(reader.images, reader.names, strict=True):
        record_upload(actor, image, name, None)
    article = articles.create_article(actor, {**fields, "change_note": "Imported from a Word document"})
    db.session.commit()
    return Imported(article, notes)


def _title(title: str, filename: str) -> str:
    stem = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ").strip()
    chosen = " ".join((title or stem).split())[:200]
    return chosen if len(chosen) >= 3 else "Imported document"


def _external_references(archive) -> list[str]:
    """Parts the document links to outside itself (not web links): never fetched, and said so."""
    found = 0
    for name in archive.namelist():
        if name.endswith(".rels"):
            found += sum(1 for rel in _EXTERNAL.findall(archive.read(name)) if not any(t in rel for t in _LINK_TYPES))
    if not found:
        return []
    many = found > 1
    return [f"{found} {'references' if many else 'reference'} to files outside the document (linked images, "
            f"templates or objects) {'were' if many else 'was'} left out: nothing is fetched from elsewhere."]


def _norm(line: str) -> str:
    return " ".join(line.split()).casefold()


def _notes(dropped: list[str], kind: str, body: str) -> list[str]:
    headings = [h for h, _ in _template_sections(kind)]
    found = {_norm(line[3:]) for line in body.splitlines() if line.startswith("## ")}
    missing = [h for h in headings if _norm(h) not in found]
    notes = list(dropped)
    if missing and kind == "case_study":
        notes.append("These sections of the template were not found in the document: "
                     + ", ".join(f"“{h}”" for h in missing) + ". Add the ones that apply before publishing.")
    return notes


def _template_sections(kind: str) -> list[tuple[str, str]]:
    return [(line[3:].strip(), "") for line in STARTERS[kind].splitlines() if line.startswith("## ")]


class _Reader:
    """mammoth's image callback: each image checked and re-encoded, or dropped, or the import refused."""

    def __init__(self):
        self.images: list[formats.Checked] = []
        self.names: list[str] = []
        self.dropped: list[str] = []
        self.refusal: Exception | None = None

    def image(self, image) -> dict:
        try:
            with image.open() as stream:
                data = stream.read(formats.MAX_ZIP_BYTES + 1)
            require_small_enough(len(data))
            checked = formats.reencode(data)
        except DomainError as refusal:
            if isinstance(refusal, (formats.Hostile, TooLarge)):
                self.refusal = self.refusal or refusal
            else:
                self.dropped.append(f"An image in a format the site does not show ({image.content_type}) was left "
                                    "out: save it as PNG or JPEG and upload it.")
            return {}
        except Exception:  # noqa: BLE001 - a linked or damaged image: left out, and said so
            self.dropped.append("An image that could not be read (linked from outside or damaged) was left out.")
            return {}
        number = len(self.images) + 1
        name = safe_name(f"imported-image-{number}", checked.extension)
        self.images.append(checked)
        self.names.append(name)
        digest = hashlib.sha256(checked.data).hexdigest()
        alt = " ".join((image.alt_text or "").split()) or f"Image {number} from the Word document"
        return {"src": f"/files/{digest}/{name}", "alt": alt}

    def raise_refusal(self) -> None:
        if self.refusal is not None:
            raise self.refusal


# HTML (mammoth's, a small known set of tags) to Markdown -----------------------------------------

class _Node:
    def __init__(self, tag: str, attrs: dict, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []


class _Tree(HTMLParser):
    VOID = {"img", "br", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.node = _Node("root", {})

    def handle_starttag(self, tag, attrs):
        child = _Node(tag, dict(attrs), self.node)
        self.node.children.append(child)
        if tag not in self.VOID:
            self.node = child

    def handle_endtag(self, tag):
        node = self.node
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _inline(node) -> str:
    if isinstance(node, str):
        return _escape(" ".join(node.split()) if node.strip() else (" " if node else ""))
    inner = "".join(_inline(child) for child in node.children)
    if node.tag in ("strong", "b"):
        return f"**{inner.strip()}**" if inner.strip() else inner
    if node.tag in ("em", "i"):
        return f"*{inner.strip()}*" if inner.strip() else inner
    if node.tag == "a":
        href = node.attrs.get("href") or ""
        if re.match(r"(?i)^(https?|mailto):", href) and inner.strip():
            return f"[{inner.strip()}](<{href.replace('>', '%3E').replace(' ', '%20')}>)"
        return inner
    if node.tag == "img":
        src = node.attrs.get("src") or ""
        return f"![{_escape(node.attrs.get('alt') or '')}]({src})" if src.startswith("/files/") else ""
    if node.tag == "br":
        return " "
    return inner


def _text(node) -> str:
    return " ".join(_inline(node).split())


def _plain(heading: str) -> str:
    """A heading without escapes, numbering ("2.") or a closing colon: what is compared with the template's."""
    return re.sub(r"^[\d.\s]+|[:.\s]+$", "", heading.replace("\\", ""))


def _heading_line(level: int, text: str, template: dict) -> str:
    matched = template.get(_norm(_plain(text)))
    if matched:
        return f"## {matched}"
    return f"{'##' if level <= 2 else '###'} {text}"


def _list(node, depth: int) -> list[str]:
    lines, number = [], 0
    for item in node.children:
        if isinstance(item, str) or item.tag != "li":
            continue
        number += 1
        marker = f"{number}." if node.tag == "ol" else "-"
        own = _text(_Shallow(item))
        lines.append(f"{'   ' * depth}{marker} {own}".rstrip())
        for child in item.children:
            if not isinstance(child, str) and child.tag in ("ul", "ol"):
                lines.extend(_list(child, depth + 1))
    return lines


class _Shallow(_Node):
    """A list item without its nested lists (they are written on their own lines)."""

    def __init__(self, item):
        super().__init__("li", {})
        self.children = [c for c in item.children if isinstance(c, str) or c.tag not in ("ul", "ol")]


def _table(node) -> list[str]:
    rows = []
    for row in _all(node, "tr"):
        rows.append([_text(cell).replace("\n", " ") for cell in row.children
                     if not isinstance(cell, str) and cell.tag in ("td", "th")])
    rows = [row for row in rows if row]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return lines


def _all(node, tag):
    for child in node.children:
        if isinstance(child, str):
            continue
        if child.tag == tag:
            yield child
        elif child.tag != "table":
            yield from _all(child, tag)


def markdown_of(html: str, kind: str) -> tuple[str, str, str]:
    """(title, Markdown body, summary) of mammoth's HTML; the first top heading before any text is the title."""
    tree = _Tree()
    tree.feed(html)
    template = {_norm(h): h for h, _ in _template_sections(kind)}
    title, blocks, summary = "", [], ""
    for node in tree.root.children:
        if isinstance(node, str):
            if node.strip():
                blocks.append(_escape(node.strip()))
            continue
        if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _text(node)
            if not text:
                continue
            named = node.attrs.get("class") == "title" or _norm(_plain(text)) not in template
            if node.tag == "h1" and not title and not blocks and named:
                title = text.replace("\\", "")
                continue
            blocks.append(_heading_line(int(node.tag[1]), text, template))
        elif node.tag in ("ul", "ol"):
            blocks.append("\n".join(_list(node, 0)))
        elif node.tag == "table":
            blocks.append("\n".join(_table(node)))
        else:
            text = _text(node)
            if text:
                blocks.append(text)
                if not summary and not text.startswith("!["):
                    summary = re.sub(r"[\\*]", "", text)[:400].strip()
    return title, "\n\n".join(block for block in blocks if block.strip()) + "\n", summary
