"""Markdown rendering for the Exchange: articles (full feature set) and comments (small subset).

Everything goes through mistune 3 in AST mode: the parsers are built once at import
time and hold no per-document state, and every call renders the AST with a fresh
renderer instance, so table of contents, wiki links and heading-id counters never
leak between calls or threads.  Raw HTML is always escaped, never passed through,
and every URL is checked against an allow list before it reaches an attribute.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import mistune
from mistune.block_parser import BlockParser
from mistune.core import BlockState, InlineState
from mistune.inline_parser import InlineParser
from mistune.plugins.url import url as url_plugin
from mistune.util import unescape as unescape_entities

__all__ = ["Rendered", "TocEntry", "render", "render_comment", "comment_links"]

# A wiki link's target, as written, to the article it names: its slug, or (slug, title) so that a link
# without its own text reads as the article's title; None when no article has that name.
Resolver = Callable[[str], "str | tuple[str, str] | None"]


@dataclass(frozen=True)
class TocEntry:
    """One heading of a rendered article."""

    level: int  # 1..6
    id: str  # the heading's id attribute
    title: str  # heading plain text


@dataclass(frozen=True)
class Rendered:
    """Result of rendering an article."""

    html: str  # safe HTML
    text: str  # whitespace-collapsed plain text of the body
    toc: list[TocEntry]  # headings in document order
    links: list[str]  # wiki-link targets as written (stripped), in order, de-duplicated


# --------------------------------------------------------------------------- URLs

_EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_SCHEMES = frozenset({"http", "https"})
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
_PATH_HEAD_RE = re.compile(r"[/?#]")
# URLs made only of these characters need no decoding or filtering (fast path).
_PLAIN_URL_RE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$'()*+,;=]*")


def _normalise_url(url: str) -> str:
    """Reduce a URL to the form used for the scheme check (never for output)."""
    if _PLAIN_URL_RE.fullmatch(url):
        return url.lower()
    value = url.strip()
    # Decode until stable so that double encodings (&amp;#106; or %256A) cannot
    # smuggle a scheme past the check; bounded to keep hostile input cheap.
    for _ in range(5):
        decoded = unquote(html.unescape(value))
        if decoded == value:
            break
        value = decoded
    # Browsers drop tabs/newlines inside URLs and trim control characters, so a
    # scheme split by them (java\tscript:) must be judged with them removed.
    value = "".join(
        ch for ch in value if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"))
    )
    # Browsers treat backslashes like slashes for web URLs (\\evil.example).
    return value.replace("\\", "/").lower()


def _url_kind(url: str, schemes: frozenset[str] = _EXTERNAL_SCHEMES) -> str | None:
    """Return "external", "relative" or None (unsafe) for a link or image URL."""
    value = _normalise_url(url)
    if value.startswith("//"):
        return None  # protocol-relative: leaves the site without an explicit scheme
    m = _SCHEME_RE.match(value)
    if m:
        return "external" if m.group(1) in schemes else None
    # A colon before the first path delimiter means some scheme-like prefix we
    # could not classify (e.g. "1x:"); refuse rather than guess.
    if ":" in _PATH_HEAD_RE.split(value, 1)[0]:
        return None
    return "relative"


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


# --------------------------------------------------------------------------- plain text

_INLINE_TYPES = frozenset(
    {
        "text",
        "emphasis",
        "strong",
        "codespan",
        "link",
        "image",
        "strikethrough",
        "wikilink",
        "inline_html",
        "footnote_ref",
        "linebreak",
        "softbreak",
    }
)
# Anything tag-shaped.  Plain text may be shown in snippets, so tags are removed
# even where they came from code or escaped entities (they are rare there and
# carry no search value); "a < b" is not tag-shaped and survives.
_TAG_RE = re.compile(r"<!--.*?(?:-->|$)|</?[A-Za-z][^<>]*>|<[!?][^<>]*>", re.S)


_CELL_SEPARATOR = " · "  # table cells in plain text: "Waits · 5 days · 2 days", never "Waits 5 days 2 days"
_ROW_END = ";"


def _collect_text(tokens: Iterable[dict[str, Any]], out: list[str], title_of: Resolver | None = None) -> None:
    for tok in tokens:
        kind = tok["type"]
        if kind == "text":
            out.append(unescape_entities(tok["raw"]))
        elif kind in ("codespan", "block_code"):
            out.append(tok["raw"])
        elif kind == "block_html":
            out.append(html.unescape(tok["raw"]))
        elif kind == "wikilink":
            out.append(_wikilink_text(tok["attrs"], title_of))
        elif kind in ("linebreak", "softbreak"):
            out.append(" ")
        elif kind in ("table_head", "table_row"):
            cells = []
            for cell in tok["children"]:
                cells.append([])
                _collect_text(cell["children"], cells[-1], title_of)
            out.append(_CELL_SEPARATOR.join(" ".join("".join(cell).split()) for cell in cells) + _ROW_END)
        elif "children" in tok:
            _collect_text(tok["children"], out, title_of)
        # inline_html and footnote_ref carry no readable text.
        if kind not in _INLINE_TYPES:
            out.append(" ")  # keep words of adjacent blocks apart


def _wikilink_text(attrs: dict[str, str], title_of: Resolver | None) -> str:
    """A wiki link in plain text: its own label, else the title of the article it names, else the target."""
    if attrs["label"] or title_of is None:
        return _wikilink_label(attrs)
    return title_of(attrs["target"]) or attrs["target"]


def _plain_text(tokens: Iterable[dict[str, Any]], title_of: Resolver | None = None) -> str:
    out: list[str] = []
    _collect_text(tokens, out, title_of)
    return " ".join(_TAG_RE.sub(" ", "".join(out)).split())


# --------------------------------------------------------------------------- heading ids

_ID_MAX = 80
_NON_ID_RE = re.compile(r"[^a-z0-9]+")


def _slugify(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    slug = _NON_ID_RE.sub("-", folded).strip("-")
    slug = slug[:_ID_MAX].rstrip("-")
    return slug or "section"


# --------------------------------------------------------------------------- wiki links

_WIKILINK_MAX = 200
_WIKILINK_PATTERN = r"\[\[(?P<wikilink_target>[^\[\]\n|]+)(?:\|(?P<wikilink_text>[^\[\]\n]*))?\]\]"


def _parse_wikilink(inline: InlineParser, m: re.Match[str], state: InlineState) -> int | None:
    target = m.group("wikilink_target").strip()
    if not target or len(target) > _WIKILINK_MAX:
        return None  # not a wiki link: the parser keeps the brackets as text
    label = (m.group("wikilink_text") or "").strip()
    state.append_token({"type": "wikilink", "attrs": {"target": target, "label": label}})
    return m.end()


def _wikilink_label(attrs: dict[str, str]) -> str:
    return unescape_entities(attrs["label"]) if attrs["label"] else attrs["target"]


def _wikilink_plugin(md: mistune.Markdown) -> None:
    # Before "link" so that [[x]] is not read as a nested link bracket; code
    # spans still win because the parser scans left to right.
    md.inline.register("wikilink", _WIKILINK_PATTERN, _parse_wikilink, before="link", start_chars="[")


def _without_wikilinks(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn wiki links inside a link's text into plain text (no nested anchors)."""
    result = []
    for tok in tokens:
        if tok["type"] == "wikilink":
            tok = {"type": "text", "raw": _wikilink_label(tok["attrs"])}
        elif "children" in tok:
            tok = dict(tok, children=_without_wikilinks(tok["children"]))
        result.append(tok)
    return result


# --------------------------------------------------------------------------- renderers

_LANG_RE = re.compile(r"[A-Za-z0-9_+-]+")
_ALIGNS = frozenset({"left", "center", "right"})


class _ArticleRenderer(mistune.HTMLRenderer):
    """Renders one article AST; instantiate per call because it collects toc and links."""

    external_rel = "nofollow noopener"

    def __init__(self, resolve: Resolver | None = None, footnote_count: int = 0) -> None:
        super().__init__(escape=True)
        self._resolve = resolve
        self._resolved: dict[str, str | tuple[str, str] | None] = {}
        self.toc: list[TocEntry] = []
        self.links: list[str] = []
        # Footnote anchors are fixed by mistune's numbering; reserve them so a
        # heading titled "fn 1" cannot produce a duplicate id.
        self._used_ids = {f"{prefix}-{i}" for i in range(1, footnote_count + 1) for prefix in ("fn", "fnref")}
        self._last_suffix: dict[str, int] = {}
        self._seen_refs: set[int] = set()

    # -- dispatch for tokens whose HTML depends on more than their rendered children
    def render_token(self, token: dict[str, Any], state: BlockState) -> str:
        kind = token["type"]
        if kind == "heading":
            return self._heading(token, state)
        if kind == "link":
            return self._link(token, state)
        if kind == "image":
            return self._image(token)
        if kind == "wikilink":
            return self._wikilink(token["attrs"])
        return str(super().render_token(token, state))

    def _unique_id(self, base: str) -> str:
        candidate = base
        # Remember the last suffix per base so many equal headings stay linear.
        n = self._last_suffix.get(base, 1)
        while candidate in self._used_ids:
            n += 1
            suffix = f"-{n}"
            candidate = base[: _ID_MAX - len(suffix)].rstrip("-") + suffix
        self._last_suffix[base] = n
        self._used_ids.add(candidate)
        return candidate

    def _heading(self, token: dict[str, Any], state: BlockState) -> str:
        level = int(token["attrs"]["level"])
        title = _plain_text(token["children"])
        anchor = self._unique_id(_slugify(title))
        self.toc.append(TocEntry(level=level, id=anchor, title=title))
        inner = self.render_tokens(token["children"], state)
        return f'<h{level} id="{_attr(anchor)}">{inner}</h{level}>\n'

    def _link(self, token: dict[str, Any], state: BlockState) -> str:
        attrs = token["attrs"]
        url = attrs.get("url") or ""
        inner = self.render_tokens(_without_wikilinks(token["children"]), state)
        kind = _url_kind(url)
        if kind is None:
            return f'<span class="unsafe-link">{inner}</span>'
        out = f'<a href="{_attr(url)}"'
        title = attrs.get("title")
        if title:
            out += f' title="{_attr(unescape_entities(title))}"'
        if kind == "external":
            out += f' rel="{self.external_rel}"'
        return out + f">{inner}</a>"

    def _image(self, token: dict[str, Any]) -> str:
        attrs = token["attrs"]
        url = attrs.get("url") or ""
        alt = _attr(_plain_text(token["children"]))
        kind = _url_kind(url, _IMAGE_SCHEMES)
        if kind is None:
            return alt
        if kind == "external":  # images come from this site only (CSP img-src 'self'): a link to it instead
            return f'<a href="{_attr(url)}" rel="{self.external_rel}">{alt or _attr(url)}</a>'
        out = f'<img src="{_attr(url)}" alt="{alt}"'
        title = attrs.get("title")
        if title:
            out += f' title="{_attr(unescape_entities(title))}"'
        return out + ' loading="lazy">'

    def _wikilink(self, attrs: dict[str, str]) -> str:
        target = attrs["target"]
        if target not in self._resolved:
            self._resolved[target] = self._resolve(target) if self._resolve else None
            self.links.append(target)
        found = self._resolved[target]
        slug, title = found if isinstance(found, tuple) else (found, None)
        label = html.escape(title if title and not attrs["label"] else _wikilink_label(attrs), quote=True)
        if slug:
            return f'<a class="wikilink" href="/articles/{_attr(quote(slug, safe=""))}">{label}</a>'
        href = "/articles/new?title=" + quote(target, safe="")
        return f'<a class="wikilink wikilink-missing" href="{_attr(href)}" rel="nofollow">{label}</a>'

    # -- plain overrides of HTMLRenderer
    def text(self, text: str) -> str:
        # Decode CommonMark entities (&amp; -> &) and re-escape: text can never
        # become markup, whatever entities it contains.
        return html.escape(unescape_entities(text), quote=False)

    def codespan(self, text: str) -> str:
        return "<code>" + html.escape(text, quote=False) + "</code>"

    def inline_html(self, html_text: str) -> str:
        return html.escape(html_text, quote=False)

    def block_html(self, html_text: str) -> str:
        return "<p>" + html.escape(html_text.strip(), quote=False) + "</p>\n"

    def linebreak(self) -> str:
        return "<br>\n"

    def thematic_break(self) -> str:
        return "<hr>\n"

    def block_code(self, code: str, info: str | None = None) -> str:
        words = (info or "").split(None, 1)
        cls = ""
        if words and _LANG_RE.fullmatch(words[0]):
            cls = f' class="language-{_attr(words[0])}"'
        return f"<pre><code{cls}>" + html.escape(code, quote=False) + "</code></pre>\n"

    def list(self, text: str, ordered: bool, **attrs: Any) -> str:
        if not ordered:
            return "<ul>\n" + text + "</ul>\n"
        start = attrs.get("start")
        start_attr = f' start="{int(start)}"' if start is not None and int(start) != 1 else ""
        return f"<ol{start_attr}>\n" + text + "</ol>\n"

    # -- plugin tokens
    def strikethrough(self, text: str) -> str:
        return "<del>" + text + "</del>"

    def task_list_item(self, text: str, checked: bool = False) -> str:
        box = ('<input type="checkbox" disabled checked aria-label="Done"> ' if checked
               else '<input type="checkbox" disabled aria-label="To do"> ')
        if text.startswith("<p>"):
            text = "<p>" + box + text[3:]
        else:
            text = box + text
        return '<li class="task-list-item">' + text + "</li>\n"

    def table(self, text: str) -> str:
        return "<table>\n" + text + "</table>\n"

    def table_head(self, text: str) -> str:
        return "<thead>\n<tr>\n" + text + "</tr>\n</thead>\n"

    def table_body(self, text: str) -> str:
        return "<tbody>\n" + text + "</tbody>\n"

    def table_row(self, text: str) -> str:
        return "<tr>\n" + text + "</tr>\n"

    def table_cell(self, text: str, align: str | None = None, head: bool = False) -> str:
        tag = "th" if head else "td"
        # Alignment as a class, not mistune's inline style: no style attributes
        # ever leave this module (keeps a strict CSP possible).
        cls = f' class="align-{align}"' if align in _ALIGNS else ""
        return f"<{tag}{cls}>{text}</{tag}>\n"

    def footnote_ref(self, key: str, index: int) -> str:
        i = int(index)
        # Later references to the same note need their own id; the back link
        # in the note points at the first one.
        ref_id = f"fnref-{i}" if i not in self._seen_refs else self._unique_id(f"fnref-{i}")
        self._seen_refs.add(i)
        return f'<sup class="footnote-ref" id="{ref_id}"><a href="#fn-{i}">{i}</a></sup>'

    def footnotes(self, text: str) -> str:
        return '<section class="footnotes">\n<ol>\n' + text + "</ol>\n</section>\n"

    def footnote_item(self, text: str, key: str, index: int) -> str:
        i = int(index)
        back = f'<a href="#fnref-{i}" class="footnote-backref">&#8617;</a>'
        text = text.rstrip()
        if text.endswith("</p>"):
            text = text[:-4] + back + "</p>"
        else:
            text = text + "\n" + back
        return f'<li id="fn-{i}">' + text + "</li>\n"


class _CommentRenderer(_ArticleRenderer):
    """Comment subset: no headings, images, tables or wiki links; external links are UGC."""

    external_rel = "nofollow noopener ugc"

    def _heading(self, token: dict[str, Any], state: BlockState) -> str:
        # The comment parser has no heading rules; this is a second line of defence.
        return "<p>" + self.render_tokens(token["children"], state) + "</p>\n"

    def _image(self, token: dict[str, Any]) -> str:
        return _attr(_plain_text(token["children"]))

    def _wikilink(self, attrs: dict[str, str]) -> str:
        return html.escape("[[" + attrs["target"] + "]]", quote=False)


# --------------------------------------------------------------------------- parsers

def _article_parser() -> mistune.Markdown:
    md = mistune.create_markdown(
        escape=True,  # raw HTML is escaped by the renderer below (also escape=True)
        renderer=None,  # AST only: rendering happens per call with a fresh renderer
        plugins=["strikethrough", "footnotes", "table", "task_lists", "url"],
    )
    _wikilink_plugin(md)
    return md


def _comment_parser() -> mistune.Markdown:
    # Headings are removed from the block grammar so "# title" stays a literal line.
    rules = [r for r in BlockParser.DEFAULT_RULES if r not in ("atx_heading", "setex_heading")]
    block = BlockParser(block_quote_rules=list(rules), list_rules=list(rules))
    block.rules = list(rules)
    md = mistune.Markdown(renderer=None, block=block, inline=InlineParser())
    md.use(url_plugin)
    return md


_ARTICLE_MD = _article_parser()
_COMMENT_MD = _comment_parser()


def _parse(md: mistune.Markdown, markdown: str) -> tuple[list[dict[str, Any]], BlockState]:
    # CommonMark: NUL is replaced for security; it never reaches the output.
    source = (markdown or "").replace("\x00", "\ufffd")
    tokens, state = md.parse(source)
    assert isinstance(tokens, list)
    return tokens, state


# Warm the parsers' lazily built regex caches at import time; any later cache fill
# is an idempotent dict store, harmless if two threads do it at once.
_parse(_ARTICLE_MD, "# a\n\n*b* [c](d) [[e]] `f` ~~g~~ http://h.example\n\n| i |\n|---|\n| j |\n")
_parse(_COMMENT_MD, "*b* [c](d) `f` http://h.example\n")


# --------------------------------------------------------------------------- public API

def render(markdown: str, resolve: Resolver | None = None, title_of: Resolver | None = None) -> Rendered:
    """Render article Markdown to safe HTML plus plain text, table of contents and wiki-link targets.

    ``title_of`` gives the title of the article a wiki-link target names: the plain text (what
    search snippets show) reads "Chart of the week" where the Markdown says [[lakeland-chart-of-the-week]].
    """
    tokens, state = _parse(_ARTICLE_MD, markdown)
    footnote_count = sum(len(t["children"]) for t in tokens if t["type"] == "footnotes")
    renderer = _ArticleRenderer(resolve, footnote_count)
    body = renderer.render_tokens(tokens, state)
    return Rendered(html=body, text=_plain_text(tokens, title_of), toc=renderer.toc, links=renderer.links)


def images_without_alt(markdown: str) -> list[str]:
    """The URLs of the images in article Markdown that have no description (alt text)."""
    if "![" not in (markdown or ""):
        return []
    tokens, _ = _parse(_ARTICLE_MD, markdown)
    missing: list[str] = []
    stack = list(tokens)
    while stack:
        tok = stack.pop(0)
        if tok["type"] == "image" and not _plain_text(tok.get("children", [])).strip():
            missing.append(tok["attrs"].get("url") or "")
        stack.extend(tok.get("children", []) if isinstance(tok.get("children"), list) else [])
    return missing


def render_comment(markdown: str) -> str:
    """Render comment Markdown (paragraphs, emphasis, code, lists, links) to safe HTML."""
    tokens, state = _parse(_COMMENT_MD, markdown)
    return _CommentRenderer().render_tokens(tokens, state)


def comment_links(markdown: str) -> list[str]:
    """Return the URLs of all links (explicit and bare) in a comment, in order."""
    tokens, _ = _parse(_COMMENT_MD, markdown)
    urls: list[str] = []

    def walk(items: Iterable[dict[str, Any]]) -> None:
        for tok in items:
            if tok["type"] == "link":
                urls.append(tok["attrs"].get("url") or "")
            if "children" in tok and tok["type"] != "image":
                walk(tok["children"])

    walk(tokens)
    return urls
