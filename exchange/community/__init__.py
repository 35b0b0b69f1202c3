"""Comments, flags, follows, notifications and feeds: the conversation around the practices."""


def init_app(app) -> None:
    """Register the pages, the partials' helpers and the notification listeners."""
    from exchange.community import notifications, partials
    from exchange.community.routes import bp

    app.register_blueprint(bp)
    partials.init_app(app)
    notifications.listen(app.extensions["exchange.db"])
