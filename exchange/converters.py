"""Path converters: an id in an address is a number the database can hold, or the address matches nothing."""
from werkzeug.routing import IntegerConverter

from exchange.db import MAX_INT


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: 1 to MAX_INT, at most 10 digits; anything else is a 404, never a 500."""

    regex = r"\d{1,10}"

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_INT, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def init_app(app) -> None:
    """Install the converters; before any blueprint adds its routes."""
    app.url_map.converters["int"] = IdConverter
