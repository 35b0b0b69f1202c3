"""Pages of a long list, and the query-string parameters of lists, read by one rule.

The rule (README, "The API"): a value a parameter does not take (a page that is not a whole number
from 1 to 10,000, a per_page outside 1..100, a choice not on the list, a topic or agency that does
not exist) is refused with 422 naming every such parameter at once. Pages (``strict=False``)
forgive instead: nonsense becomes the default and the page says what it ignored.
"""
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from exchange.errors import Invalid, NotFound

MAX_PAGE = 10_000
MAX_PER_PAGE = 100


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def page_number(value) -> int:
    """A page number from the query string; nonsense means page 1."""
    try:
        return max(1, min(int(value), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def per_page_number(value, default: int = 20) -> int:
    try:
        return max(1, min(int(value), MAX_PER_PAGE))
    except (TypeError, ValueError):
        return default


class ListArgs:
    """A list's query-string parameters: each bad one is remembered, then ``check`` refuses them all."""

    def __init__(self, args, strict: bool = True):
        self.args = args
        self.strict = strict
        self.problems: dict[str, str] = {}

    def refuse(self, name: str, message: str) -> None:
        self.problems[name] = message

    def page(self) -> int:
        return self._whole("page", 1, MAX_PAGE, 1)

    def per_page(self, default: int = 20) -> int:
        return self._whole("per_page", 1, MAX_PER_PAGE, default)

    def choice(self, name: str, allowed: Iterable[str], default: str | None = None) -> str | None:
        """One of ``allowed``, or ``default`` when the parameter is absent (or refused)."""
        value = self.args.get(name) or None
        if value is None or value in allowed:
            return value or default
        self.refuse(name, f"{name} must be one of: {', '.join(allowed)}.")
        return default

    def found(self, name: str, find: Callable):
        """What ``find`` makes of the parameter (a topic, an agency), or None; what it cannot find is refused."""
        value = self.args.get(name) or None
        if value is None:
            return None
        try:
            return find(value)
        except NotFound as error:
            self.refuse(name, error.message)
            return None

    def check(self) -> list[str]:
        """Raise Invalid naming every bad parameter (strict); otherwise return what was ignored."""
        if self.strict and self.problems:
            raise Invalid(" ".join(self.problems.values()), dict(self.problems))
        return list(self.problems.values())

    def _whole(self, name: str, low: int, high: int, default: int) -> int:
        value = self.args.get(name)
        if value in (None, ""):
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high:
            self.refuse(name, f"{name} must be a whole number from {low} to {high}.")
            return default if number is None else max(low, min(number, high))
        return number
