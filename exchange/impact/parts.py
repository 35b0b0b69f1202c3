"""What impact adds to other domains' pages."""
from flask_login import current_user

from exchange.impact import counter, services
from exchange.permissions import signed_in


def article_part(article) -> dict:
    """The article page: its own agency's and its author's views are not counted; they see its reach."""
    user = current_user
    if signed_in(user) and (user.agency_id == article.agency_id or user.id == article.author_id):
        counter.exclude_own_views()
    return {"reach": services.article_reach(current_user, article)}
