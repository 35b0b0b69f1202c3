"""What impact adds to other domains' pages."""
from flask_login import current_user

from exchange.impact import counter, services
from exchange.pagecache import shared_section
from exchange.permissions import signed_in


def article_part(article) -> dict:
    """The article page: its own agency's and its author's views are not counted; they see its reach."""
    user = current_user
    if signed_in(user) and (user.agency_id == article.agency_id or user.id == article.author_id):
        counter.exclude_own_views()
    if not services.sees_reach(user, article):
        return {"reach_html": ""}
    # The same for all of them: rendered once per data version (views are not changes, so a count may
    # lag by PAGE_CACHE_SECONDS at most).
    return {"reach_html": shared_section("impact/_reach.html", article,
                                         lambda: {"reach": services.article_reach(user, article)})}
