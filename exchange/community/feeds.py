"""Atom 1.0 feeds (RFC 4287) of published practices: newest, per topic, per agency; and a practice's changes.

Each feed names an XSL stylesheet (``<?xml-stylesheet?>``), so a browser shows a readable page
with a sentence on what a feed is, while feed readers read the Atom as ever.

The XML is built with ElementTree, so every title, name and summary is escaped.
Ids are tag: URIs (RFC 4151) made from ``FEED_TAG_AUTHORITY`` (default: the
site's host name) and ``FEED_TAG_DATE``, and from article ids, which never change:
set the authority in production so ids survive a change of address.
"""
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from exchange.articles import queries
from exchange.articles.models import Article
from exchange.db import db

ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Browsers show application/atom+xml as raw text and apply no stylesheet; as XML they apply the XSL.
FOR_BROWSERS = "application/xml; charset=utf-8"
SIZE = 50
# Characters XML 1.0 cannot carry at all; they never reach a feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself."""

    id: str
    title: str
    subtitle: str
    self_url: str
    page_url: str
    updated_when_empty: datetime


def newest(tag=None, agency=None) -> list[Article]:
    """The newest published articles, at most 50, for the whole site, a topic or an agency."""
    query = queries.published(tag=tag, agency=agency)
    return list(db.session.scalars(query.order_by(Article.published_at.desc(), Article.id.desc())
                                   .limit(SIZE)).unique())


def tag_uri(authority: str, date: str, specific: str) -> str:
    """A tag: URI (RFC 4151), e.g. ``tag:exchange.example.gov,2026:article:42``."""
    return f"tag:{authority},{date}:{specific}"


def atom_time(value: datetime) -> str:
    """An RFC 3339 timestamp in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value) -> str:
    return _NOT_XML.sub("", str(value or ""))


def _add(parent: ET.Element, name: str, text=None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, name, {k: _text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _updated(article: Article) -> datetime:
    return max(d for d in (article.updated_at, article.published_at, article.created_at) if d is not None)


@dataclass(frozen=True)
class Entry:
    """One entry of a feed: an article, or a change to one."""

    id: str
    title: str
    updated: datetime
    published: datetime
    url: str
    author: str
    author_url: str
    summary: str
    categories: tuple = ()  # (term, label)


def entries_of(articles: list, entry_id: Callable, entry_url: Callable, person_url: Callable) -> list[Entry]:
    """The entries of a list of practices (or challenges, which have the same parts): each its newest state."""
    return [Entry(entry_id(a), a.title, _updated(a), a.published_at or a.created_at, entry_url(a),
                  f"{a.author.name} ({a.agency.name})", person_url(a), a.summary,
                  tuple((tag.slug, tag.name) for tag in a.tags)) for a in articles]


def content_type(accept) -> str:
    """Atom for feed readers; plain XML for a browser (it prefers HTML), which then shows the XSL's page."""
    return FOR_BROWSERS if accept.best_match(["application/atom+xml", "text/html"]) == "text/html" else CONTENT_TYPE


def render(info: FeedInfo, entries: list[Entry], stylesheet: str | None = None) -> bytes:
    """The feed document, UTF-8 encoded, with an XML declaration and the stylesheet browsers show it with."""
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    _add(feed, "id", info.id)
    _add(feed, "title", info.title, type="text")
    _add(feed, "subtitle", info.subtitle, type="text")
    updated = max((entry.updated for entry in entries), default=info.updated_when_empty)
    _add(feed, "updated", atom_time(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=info.self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=info.page_url)
    _add(_add(feed, "author"), "name", "The Exchange")
    _add(feed, "generator", "The Exchange")
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", item.id)
        _add(entry, "title", item.title, type="text")
        _add(entry, "updated", atom_time(item.updated))
        _add(entry, "published", atom_time(item.published))
        _add(entry, "link", rel="alternate", type="text/html", href=item.url)
        author = _add(entry, "author")
        _add(author, "name", item.author)
        _add(author, "uri", item.author_url)
        for term, label in item.categories:
            _add(entry, "category", term=term, label=label)
        _add(entry, "summary", item.summary, type="text")
    head = "<?xml version='1.0' encoding='utf-8'?>\n"
    if stylesheet:
        head += f'<?xml-stylesheet type="text/xsl" href="{escape(stylesheet, quote=True)}"?>\n'
    return head.encode() + ET.tostring(feed, encoding="utf-8")
