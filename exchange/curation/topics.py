"""Topic curation: admins rename, describe and merge topics; each change is audited.

The articles domain changes the topics (``exchange.articles.topics``), the community domain moves
the followers of a merged topic; this module does both in one transaction and audits it.
"""
from exchange import audit
from exchange.articles import rules, topics
from exchange.articles.models import Tag
from exchange.community.follows import move_topic_follows
from exchange.db import db
from exchange.errors import Invalid
from exchange.permissions import Actor, require_admin


def rename_topic(actor: Actor, slug: str, name) -> Tag:
    """Rename a topic; its old address redirects (301). Audited."""
    tag = topics.get_topic(slug)
    old = tag.name
    topics.rename_topic(actor, tag, name)
    audit.record(actor, "topic.rename", "tag", slug, f"“{old}” is now “{tag.name}” ({tag.slug})")
    db.session.commit()
    return tag


def describe_topic(actor: Actor, slug: str, description) -> Tag:
    """Set what a topic's page says about it. Audited."""
    tag = topics.describe_topic(actor, topics.get_topic(slug), description)
    audit.record(actor, "topic.describe", "tag", slug, tag.description[:200])
    db.session.commit()
    return tag


def merge_topic(actor: Actor, slug: str, into) -> Tag:
    """Merge one topic into another: its articles and followers move, its address redirects. Audited."""
    tag = topics.get_topic(slug)
    if not isinstance(into, str) or not into.strip():
        raise Invalid("Choose the topic to merge into.", {"into": "required"})
    target = topics.get_topic(rules.canonical_slug(into, max_len=rules.MAX_TAG_LENGTH))
    require_admin(actor)
    if target.id == tag.id:
        raise Invalid("Choose another topic to merge into.", {"into": "the same topic"})
    moved = move_topic_follows(tag.id, target.id)
    topics.merge_topic(actor, tag, target)
    audit.record(actor, "topic.merge", "tag", slug, f"merged into “{target.name}” ({target.slug}); "
                 f"{moved} follower(s) moved")
    db.session.commit()
    return target
