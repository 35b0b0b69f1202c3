"""Featured practices, moderation, the audit log and search analytics."""


def init_app(app) -> None:
    """The featured flag for the API and the article page's badge."""
    from exchange.curation import services
    from exchange.templating import add_page_part

    app.extensions["exchange.is_featured"] = services.is_featured
    add_page_part(app, "article", _featured)


def _featured(article) -> dict:
    """The article page's featured badge: the article's active feature, if it is published and has one."""
    from exchange.curation.services import feature_for

    return {"feature": feature_for(article) if article.status == "published" else None}
