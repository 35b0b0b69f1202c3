"""Atom 1.0 feeds (RFC 4287) of published practices: newest, per topic, per agency.

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

from exchange.articles import queries
from exchange.articles.models import Article
from exchange.db import db

ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
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


def render(info: FeedInfo, articles: list[Article], entry_id: Callable[[Article], str],
           entry_url: Callable[[Article], str], person_url: Callable[[Article], str]) -> bytes:
    """The feed document, UTF-8 encoded with an XML declaration."""
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    _add(feed, "id", info.id)
    _add(feed, "title", info.title, type="text")
    _add(feed, "subtitle", info.subtitle, type="text")
    updated = max((_updated(a) for a in articles), default=info.updated_when_empty)
    _add(feed, "updated", atom_time(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=info.self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=info.page_url)
    _add(_add(feed, "author"), "name", "The Exchange")
    _add(feed, "generator", "The Exchange")
    for article in articles:
        entry = _add(feed, "entry")
        _add(entry, "id", entry_id(article))
        _add(entry, "title", article.title, type="text")
        _add(entry, "updated", atom_time(_updated(article)))
        _add(entry, "published", atom_time(article.published_at or article.created_at))
        _add(entry, "link", rel="alternate", type="text/html", href=entry_url(article))
        author = _add(entry, "author")
        _add(author, "name", f"{article.author.name} ({article.agency.name})")
        _add(author, "uri", person_url(article))
        for tag in article.tags:
            _add(entry, "category", term=tag.slug, label=tag.name)
        _add(entry, "summary", article.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

