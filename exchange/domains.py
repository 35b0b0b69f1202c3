"""The domains of the Exchange, in layer order: each may use those before it, never those after.

A domain is a folder ``exchange/<name>/`` with the standard modules:

- ``models.py``: its tables;
- ``services.py``: plain functions that take the ``actor``, change data and raise domain errors;
- ``routes.py``: its pages, on a blueprint named ``bp``;
- ``api.py``: its JSON endpoints, on the one API blueprint (``exchange.api.bp``), and ``PATHS``
  (and ``SCHEMAS``) for the OpenAPI document;
- ``cli.py``, where it has commands: its ``exchange`` command groups, in ``COMMANDS``;
- ``forms.py`` where it has forms, and ``templates/<name>/`` for its pages.

Adding a domain is creating its folder and adding its name here; ``create_app`` and
``exchange.models`` do the rest. ``tests/test_architecture.py`` checks every domain has its files.
"""
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

DOMAINS = ("accounts", "articles", "files", "search", "endorsements", "community", "challenges", "pages",
           "curation", "impact", "mail")
STANDARD = ("models", "services", "routes", "api")  # every domain has these; cli.py and forms.py where needed


def module(domain: str, name: str) -> ModuleType:
    """One of a domain's standard modules, e.g. ``module("articles", "routes")``."""
    return import_module(f"exchange.{domain}.{name}")


def each(name: str) -> list[ModuleType]:
    """That module of every domain that has it, in layer order (every domain has the STANDARD ones)."""
    return [module(domain, name) for domain in DOMAINS if name in STANDARD or _has(domain, name)]


def _has(domain: str, name: str) -> bool:
    return find_spec(f"exchange.{domain}.{name}") is not None
