"""Endorsements and adoptions, the weights they carry, and ranking by them."""


def init_app(app) -> None:
    """The trending order of article lists, the score filter and the parts of other pages."""
    from exchange.articles.queries import add_order
    from exchange.endorsements import ranking, routes
    from exchange.pagecache import add_relation
    from exchange.templating import add_page_part

    add_order("trending", lambda query: ranking.by_trending(query, with_value=True))
    app.jinja_env.filters["format_score"] = ranking.format_score
    app.jinja_env.filters["support_label"] = ranking.support_label
    add_page_part(app, "article", routes.article_parts)
    add_page_part(app, "person", routes.person_parts)
    add_page_part(app, "agency", routes.agency_parts)
    add_relation(app, "article", _endorsed)


def _endorsed(user_id: int, article_id: int):
    """The page shows a person their own endorsement (and a form filled with it): kept apart from others'."""
    import sqlalchemy as sa

    from exchange.endorsements.models import Endorsement

    return sa.exists().where(Endorsement.article_id == article_id, Endorsement.user_id == user_id)
