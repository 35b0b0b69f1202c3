"""Featured practices, moderation, the audit log and search analytics."""


def init_app(app) -> None:
    """The featured flag for the API and the article page's badge."""
    from exchange.curation import services
    from exchange.templating import add_page_part

    app.extensions["exchange.is_featured"] = services.is_featured
    add_page_part(app, "article", _featured)
    add_page_part(app, "article", _review_request)


def _featured(article) -> dict:
    """The article page's featured badge (``feature_html``): its active feature, if it is published and has one."""
    from exchange.curation.services import feature_for
    from exchange.pagecache import shared_section

    return {"feature_html": shared_section("curation/_featured_badge.html", article, lambda: {
        "feature": feature_for(article) if article.status == "published" else None})}


def _review_request(article) -> dict:
    """The article page's review state (``review_request_html``): an out-of-date report passed to its agency
    since its last update."""
    from exchange.curation.moderation import review_request
    from exchange.pagecache import shared_section

    return {"review_request_html": shared_section("curation/_review_request.html", article, lambda: {
        "article": article, "review_request": review_request(article) if article.status == "published" else None})}
