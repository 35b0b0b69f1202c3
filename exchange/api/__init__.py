"""The JSON API at /api/v1."""
from exchange.api import articles
from exchange.api.routes import bp
from exchange.community import api as community
from exchange.curation import api as curation_api
from exchange.endorsements import api as endorsements_api


def init_app(app) -> None:
    """Register the API blueprint and describe its capabilities in the OpenAPI document."""
    app.register_blueprint(bp)
    articles.init_app(app)
    endorsements_api.init_app(app)
    curation_api.init_app(app)
    community.init_app(app)
