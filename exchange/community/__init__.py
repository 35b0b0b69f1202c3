"""Comments, flags, follows, notifications and feeds: the conversation around the practices."""


def init_app(app) -> None:
    """The partials' helpers and the notification listeners."""
    from exchange.community import notifications, partials

    partials.init_app(app)
    notifications.listen(app.extensions["exchange.db"])
    notifications.hear_account_events()
