"""Topics people reuse: a new topic written close to an existing one ("crowd funding" for
"crowdfunding") is asked about before it is made."""
from difflib import SequenceMatcher

from exchange.articles import queries, rules
from exchange.articles.models import Tag
from exchange.errors import Invalid
from exchange.permissions import Actor

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
