"""Topics people reuse: a new topic written close to an existing one ("crowd funding" for
"crowdfunding") is asked about before it is made."""
from difflib import SequenceMatcher

import sqlalchemy as sa

from exchange.articles import queries, rules
from exchange.articles.models import Article, Tag, TagRedirect, article_tags
from exchange.db import db
from exchange.errors import Conflict, Invalid, NotFound
from exchange.permissions import Actor, require_admin
from exchange.text import clean_text

CLOSE = 0.88  # similarity of two topics' letters (hyphens and spaces aside) from which we ask


def _letters(slug: str) -> str:
    return slug.replace("-", "")


def close_topics(viewer: Actor, text) -> list[tuple[str, Tag, int]]:
    """Each new topic in ``text`` close to one ``viewer`` can see: (typed name, that topic, its article count)."""
    try:
        wanted = rules.clean_tags(text)
    except Invalid:
        return []  # the save refuses it, and says why
    known = queries.tags_with_counts(viewer)
    slugs = {tag.slug for tag, _ in known}
    asked = []
    for slug, name in wanted:
        if slug in slugs:
            continue
        scored = [(SequenceMatcher(None, _letters(slug), _letters(tag.slug)).ratio(), -count, tag.slug, tag, count)
                  for tag, count in known]
        best = max(scored, default=None)
        if best and (best[0] >= CLOSE or _letters(slug) == _letters(best[2])):
            asked.append((name, best[3], best[4]))
    return asked


# Admins curate topics: rename, describe, merge. The old address of a renamed or merged topic
# redirects (``TagRedirect``); moving follows is the community domain's part of a merge.

MAX_DESCRIPTION = 1000


def get_topic(slug: str) -> Tag:
    """Any topic by its slug (admins see every one), or NotFound."""
    tag = db.session.scalar(sa.select(Tag).where(Tag.slug == slug))
    if tag is None:
        raise NotFound("There is no topic at this address.")
    return tag


def redirect_for(slug: str) -> str | None:
    """The slug an old topic address now leads to, if it was renamed or merged away."""
    return db.session.scalar(sa.select(Tag.slug).join(TagRedirect, TagRedirect.tag_id == Tag.id)
                             .where(TagRedirect.old_slug == slug))


def rename_topic(actor: Actor, tag: Tag, name) -> Tag:
    """Give a topic a new name (and the slug it makes); its old address redirects. Not audited here."""
    require_admin(actor)
    pairs = rules.clean_tags([name]) if isinstance(name, str) else rules.clean_tags(name)
    if len(pairs) != 1:
        raise Invalid("Write the topic's new name.", {"name": "required"})
    slug, new_name = pairs[0]
    if slug != tag.slug:
        if db.session.scalar(sa.select(Tag.id).where(Tag.slug == slug)) is not None:
            raise Conflict(f"The topic “{new_name}” exists already: merge into it instead.", {"name": "taken"})
        db.session.execute(sa.delete(TagRedirect).where(TagRedirect.old_slug == slug))
        db.session.add(TagRedirect(old_slug=tag.slug, tag_id=tag.id))
        tag.slug = slug
    tag.name = new_name
    return tag


def describe_topic(actor: Actor, tag: Tag, description) -> Tag:
    """Set the description shown on the topic's page (empty: none)."""
    require_admin(actor)
    tag.description = clean_text(description or "", "description", max_len=MAX_DESCRIPTION)
    return tag


def merge_topic(actor: Actor, tag: Tag, into: Tag) -> Tag:
    """Move ``tag``'s articles to ``into`` and delete ``tag``; its address (and its old ones) redirect there."""
    require_admin(actor)
    if tag.id == into.id:
        raise Invalid("Choose another topic to merge into.", {"into": "the same topic"})
    articles = db.session.scalars(sa.select(Article).join(article_tags, article_tags.c.article_id == Article.id)
                                  .where(article_tags.c.tag_id == tag.id))
    for article in list(articles):
        kept = [each for each in article.tags if each.id != tag.id]
        article.tags = kept if into in kept else [*kept, into]
    db.session.execute(sa.update(TagRedirect).where(TagRedirect.tag_id == tag.id).values(tag_id=into.id))
    db.session.flush()
    db.session.add(TagRedirect(old_slug=tag.slug, tag_id=into.id))
    if not into.description and tag.description:
        into.description = tag.description
    db.session.delete(tag)
    return into
