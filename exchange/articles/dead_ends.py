"""What an error page about an article offers instead of a dead end (see ``exchange.errors.suggest``)."""
import re

from flask import url_for

from exchange.errors import Suggestion, suggest


def words_of(slug: str) -> str:
    """The words of an article's address: ``chatbots-for-council-tax`` -> ``chatbots for council tax``."""
    return " ".join(re.findall(r"[^\W_]+", slug or ""))[:100]


def search_instead(slug: str = "", **_args) -> Suggestion | None:
    """A missing (or hidden) article: search for the words of its address."""
    words = words_of(slug)
    if not words:
        return None
    return Suggestion("Look for it", [(f"Search for “{words}”", url_for("search.results", q=words))])


def take_part_instead(slug: str = "", **_args) -> Suggestion:
    """An edit refused by the article's edit policy: what anyone may still do with it."""
    page = url_for("articles.show", slug=slug)
    return Suggestion("What you can do", [
        ("Comment on it: add what your agency learned", f"{page}#comments"),
        ("Endorse it, or record that your agency adopted it", f"{page}#endorsements"),
        ("Ask the team behind it, from the practice's page", page),
    ])


def init_app() -> None:
    suggest("articles.show", 404, search_instead)
    suggest("articles.edit", 403, take_part_instead)
