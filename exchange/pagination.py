"""Pages of a long list: the page asked for, read safely from the query string, and what it holds."""
import math
from dataclasses import dataclass


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
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def per_page_number(value, default: int = 20) -> int:
    try:
        return max(1, min(int(value), 100))
    except (TypeError, ValueError):
        return default
