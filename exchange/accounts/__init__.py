"""Agencies, people, signing in, API tokens and profiles."""


def init_app(app) -> None:
    """Templates name places in words. (A password someone else saw must be changed at the first sign-in:
    ``sessions.require_new_password``, installed with the other access hooks by ``create_app``.)"""
    from exchange.accounts import places

    places.init_app(app)
