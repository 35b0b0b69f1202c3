"""The JSON API at /api/v1."""
from exchange.api.routes import bp

__all__ = ["bp"]
