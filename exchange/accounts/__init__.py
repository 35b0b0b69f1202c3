"""Agencies, people, signing in, API tokens and profiles."""


def init_app(app) -> None:
    """A password someone else saw must be changed at the first sign-in."""
    from exchange.accounts.sessions import require_new_password

    app.before_request(require_new_password)
