"""Wiki links between articles: bodies rendered with their links resolved, stored, and kept current.

A wiki link names a published article by slug or title and reads as that article's title. When an
article appears, goes or is renamed, the articles linking to it are rendered again.
"""
import json

import sqlalchemy as sa

from exchange import markdown
from exchange.articles import rules
from exchange.articles.models import Article, ArticleLink
from exchange.db import db
from exchange.errors import Invalid

MAX_WIKI_LINKS = 500  # different [[links]] in one article: each is a row, and a re-render on rename


def render_preview(body: str) -> str:
    """A body as it would read once saved, its wiki links resolved (never stored)."""
    return render_body(body).html


def render(article: Article) -> None:
    rendered = render_body(article.body or "", check=True)
    article.html, article.text = rendered.html, rendered.text
    article.toc_json = json.dumps([{"level": e.level, "id": e.id, "title": e.title} for e in rendered.toc])
    targets = {rules.canonical_slug(t, max_len=100) for t in rendered.links} - {"", article.slug}
    if article.id is not None:
        db.session.execute(sa.delete(ArticleLink).where(ArticleLink.source_id == article.id))
    article._pending_links = targets


def render_body(body: str, check: bool = False) -> markdown.Rendered:
    """Render a body, its wiki links resolved beforehand in a few set-based queries (not two per link)."""
    targets = markdown.render(body).links
    if check and len(targets) > MAX_WIKI_LINKS:
        message = (f"An article may hold at most {MAX_WIKI_LINKS} different [[links]]; "
                   f"this one holds {len(targets):,}.")
        raise Invalid(message, {"body": message})
    found = _wiki_links(targets)
    return markdown.render(body, resolve=found.get, title_of=lambda target: (found.get(target) or ("", None))[1])


def _wiki_links(targets: list[str]) -> dict[str, tuple[str, str]]:
    """The published article each wiki-link target names, as (slug, title): by slug, else by title (any case)."""
    found: dict[str, tuple[str, str]] = {}
    published = Article.status == "published"
    slugs = {target: rules.canonical_slug(target, max_len=100) for target in targets}
    for chunk in _chunks(sorted(set(slugs.values()) - {""})):
        known = dict(db.session.execute(
            sa.select(Article.slug, Article.title).where(Article.slug.in_(chunk), published)).all())
        found.update((target, (slug, known[slug])) for target, slug in slugs.items() if slug in known)
    titles: dict[str, list[str]] = {}
    for target in targets:
        if target not in found:
            titles.setdefault(target.strip().lower(), []).append(target)
    for chunk in _chunks(sorted(titles)):
        rows = db.session.execute(sa.select(sa.func.lower(Article.title), Article.slug, Article.title).where(
            sa.func.lower(Article.title).in_(chunk), published).order_by(Article.id))
        for lowered, slug, title in rows:  # through the index on lower(title)
            for target in titles[lowered]:
                found.setdefault(target, (slug, title))
    return found


def _chunks(values: list[str], size: int = 250):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def link_keys(article: Article) -> set[str]:
    """What a wiki link to this article may say, canonically: its slug or its title."""
    return {article.slug, rules.canonical_slug(article.title, max_len=100)}


def refresh_links_to(articles: Article | list[Article], keys: set[str]) -> None:
    """Store these articles' outgoing links; re-render the other articles linking to ``keys``.

    ``keys`` is empty unless an article appeared, went or was renamed: only then can a
    link to it change between "missing" and "found".
    """
    articles = articles if isinstance(articles, list) else [articles]
    for article in articles:
        targets = getattr(article, "_pending_links", None)
        if targets is not None:
            db.session.add_all(ArticleLink(source_id=article.id, target_slug=t) for t in sorted(targets))
            del article._pending_links
    db.session.flush()
    if not keys:
        return
    ids = set(db.session.scalars(sa.select(ArticleLink.source_id).where(ArticleLink.target_slug.in_(keys))))
    if len(articles) == 1:
        ids.discard(articles[0].id)  # rendered a moment ago; in a batch, one may link to another
    if not ids:
        return  # most often: nobody links here yet (an index-only query, no articles loaded)
    for source in db.session.scalars(sa.select(Article).where(Article.id.in_(ids))):
        source.html = render_body(source.body or "").html
