"""Endorsements and adoptions, the weights they carry, and ranking by them."""


def init_app(app) -> None:
    """The trending order of article lists, the score filter and the parts of other pages."""
    from exchange.articles.queries import add_order
    from exchange.endorsements import ranking, routes
    from exchange.templating import add_page_part

    add_order("trending", lambda query: ranking.by_trending(query, with_value=True))
    app.jinja_env.filters["format_score"] = ranking.format_score
    app.jinja_env.filters["support_label"] = ranking.support_label
    add_page_part(app, "article", routes.article_parts)
    add_page_part(app, "person", routes.person_parts)
    add_page_part(app, "agency", routes.agency_parts)
