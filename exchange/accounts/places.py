"""Where an agency is: its country (ISO 3166-1 two-letter code) and level of government, in words."""
from functools import cache

import pycountry

from exchange.accounts.models import LEVELS
from exchange.pagination import ListArgs

LEVEL_NAMES = {"national": "National government", "regional": "Regional government",
               "local": "Local government", "other": "Other public body"}


@cache
def country_name(code: str) -> str:
    """The country's everyday name ("GB": "United Kingdom"); the code itself if it names no country."""
    country = pycountry.countries.get(alpha_2=(code or "").upper()) if code else None
    if country is None:
        return code or ""
    return getattr(country, "common_name", None) or country.name


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 two-letter country code (either case)."""
    return len(code or "") == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


def level_name(level: str) -> str:
    """The level of government in words ("local": "Local government")."""
    return LEVEL_NAMES.get(level or "", level or "")


def country_filter(args: ListArgs) -> str | None:
    """``country=GB``: agencies in that country; ``country=-GB``: every other (upper-cased); else refused."""
    value = (args.args.get("country") or "").strip()
    if not value:
        return None
    code = value.removeprefix("-")
    if not is_country(code):
        args.refuse("country", "country must be a two-letter country code such as GB, "
                               "or the code after a minus sign (-GB) for every other country.")
        return None
    return value[:len(value) - len(code)] + code.upper()


def level_filter(args: ListArgs) -> str | None:
    """``level=local``: that level of government; ``level=-local``: every other; else refused."""
    value = (args.args.get("level") or "").strip()
    if not value:
        return None
    if value.removeprefix("-") not in LEVELS:
        args.refuse("level", f"level must be one of: {', '.join(LEVELS)}, "
                             "or one of them after a minus sign (-local) for every other level.")
        return None
    return value


def init_app(app) -> None:
    """Templates say both in words: ``{{ agency.country|country_name }}``, ``{{ agency.level|level_name }}``."""
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["level_name"] = level_name
