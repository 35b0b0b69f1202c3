"""Featured practices, moderation, the audit log and search analytics."""


def init_app(app) -> None:
    """Register the admin area, the featured flag for the API and the badge helper."""
    from exchange.curation import featuring, routes

    app.register_blueprint(routes.bp)
    app.extensions["exchange.is_featured"] = featuring.is_featured
    app.jinja_env.globals.update(feature_for=featuring.feature_for)
