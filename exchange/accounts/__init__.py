"""Agencies, people, signing in, API tokens and profiles."""


def init_app(app) -> None:
    """A password someone else saw must be changed at the first sign-in; templates name places in words."""
    from exchange.accounts import places
    from exchange.accounts.sessions import require_new_password

    app.before_request(require_new_password)
    places.init_app(app)
