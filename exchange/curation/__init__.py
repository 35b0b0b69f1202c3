"""Featured practices, moderation, the audit log and search analytics."""


def init_app(app) -> None:
    """The featured flag for the API and the badge helper."""
    from exchange.curation import services

    app.extensions["exchange.is_featured"] = services.is_featured
    app.jinja_env.globals.update(feature_for=services.feature_for)
