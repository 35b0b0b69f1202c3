"""The one JSON API blueprint at /api/v1, and what every domain's ``api.py`` uses to add to it.

A domain adds endpoints by decorating functions with ``bp`` in its ``api.py`` and describes them in
that module's ``PATHS`` (and ``SCHEMAS``); ``create_app`` imports every domain's ``api.py`` before
registering ``bp`` and adds the descriptions to the OpenAPI document. This package sits below the
domains: it knows nothing of them (``token_loader`` is how accounts tells it who a token is).
"""
from exchange.api import openapi
from exchange.api.auth import api_user, require_api_user, token_loader
from exchange.api.body import read_json
from exchange.api.responses import check_if_match, paginated
from exchange.api.routes import bp

__all__ = ["bp", "openapi", "api_user", "require_api_user", "token_loader", "read_json", "check_if_match",
           "paginated", "init_app"]


def init_app(app, domain_apis) -> None:
    """Register the blueprint, with every domain's endpoints already on it, and their descriptions."""
    for module in domain_apis:
        openapi.extend(app, getattr(module, "PATHS", {}), getattr(module, "SCHEMAS", {}))
    app.register_blueprint(bp)
