"""The JSON API at /api/v1."""
from exchange.api import articles
from exchange.api.routes import bp


def init_app(app) -> None:
    """Register the API blueprint and describe its capabilities in the OpenAPI document."""
    app.register_blueprint(bp)
    articles.init_app(app)
