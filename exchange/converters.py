"""Path converters: an id in an address is a number the database can hold, or the address matches nothing."""
from werkzeug.routing import IntegerConverter

from exchange.db import MAX_INT


def _up_to(limit: int) -> str:
    """A regular expression for the whole numbers 1 to ``limit``, written without leading zeros."""
    digits = str(limit)
    shorter = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same_length = []
    for i, digit in enumerate(digits):
        low = "1" if i == 0 else "0"
        if int(digit) > int(low):
            rest = len(digits) - i - 1
            same_length.append(f"{digits[:i]}[{low}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    same_length.append(digits)
    return "(?:" + "|".join(shorter + same_length) + ")"


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: 1 to MAX_INT, no leading zeros; anything else is a 404, never a 500.

    The range is in the regular expression, not only in ``min`` and ``max``: the router would answer an
    address whose conversion fails with 405 (naming the methods of the routes whose pattern matched)."""

    regex = _up_to(MAX_INT)

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_INT, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def init_app(app) -> None:
    """Install the converters; before any blueprint adds its routes."""
    app.url_map.converters["int"] = IdConverter
