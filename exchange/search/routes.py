"""The search page."""
from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from exchange.accounts import places
from exchange.articles.models import EVIDENCE_LEVELS, STAGES
from exchange.pagecache import SEARCH_PAGES, versioned
from exchange.search import services, sources
from exchange.search.words import MAX_WORDS
from exchange.urls import url_with

bp = Blueprint("search", __name__)
PARAMETERS = {"kind": "kind", "tag": "tag", "agency": "agency", "evidence_level": "evidence_min", "stage": "stage",
              "country": "country", "level": "level"}


# Where a reader who found nothing may ask other agencies: the challenges of issue #15, once they
# exist (an endpoint name); until then the zero-result page offers no such link.
ASK_ENDPOINT = None


@bp.get("/search")
def results():
    found, ignored = services.search(request.args, strict=False)
    return render_template("search/results.html", results=found, search_query=found.request.query.original,
                           results_html=_results_html(found, ignored))


def _results_html(found, ignored) -> Markup:
    """The page below the header. It depends only on the address (its arguments), the data and whether the
    reader is signed in, so it is kept as HTML per (address, signed in) and data version; rendering it was
    most of a search page's time once the results themselves were kept."""
    def render() -> str:
        return render_template(
            "search/_results_body.html", results=found, facets=services.facet_values(found), ignored=ignored,
            sort_labels=_sort_labels(found.request), facet_labels=services.FACET_LABELS,
            kinds=services.all_kinds(), hit_href=_hit_href, stages=STAGES, evidence_levels=EVIDENCE_LEVELS,
            facet_href=lambda name, value: _facet_href(found.request, name, value),
            excluded=_excluded_places(found.request),
            exclude_href=lambda name, value: url_with(**{name: f"-{value}"}),
            same_meaning=services.same_meaning(found.request.query), max_words=MAX_WORDS,
            ask_href=url_for(ASK_ENDPOINT, title=found.request.query.original) if ASK_ENDPOINT else None)
    key = (request.full_path, current_user.is_authenticated)
    return Markup(versioned("search page", key, render, store=SEARCH_PAGES, keep=lambda _: not found.partial))


@bp.get("/search/help", endpoint="help")
def help_page():
    return render_template("search/help.html", max_words=MAX_WORDS)


def _hit_href(hit) -> str:
    """A result's page: the article's, or the challenge's."""
    return request.script_root + sources.path_of(hit.kind, hit.slug)


def _sort_labels(search_request) -> dict:
    """The orders to offer: best match only when there are words to match."""
    return {key: label for key, label in services.SORT_LABELS.items()
            if search_request.query.original or key != "relevance"}


def _excluded_places(search_request) -> dict[str, tuple[str, str]]:
    """The place filters that leave a value out ("-GB"): facet name -> (what is left out, its removal link)."""
    excluded = {}
    for name, label in (("country", places.country_name), ("level", places.level_name)):
        value = getattr(search_request, name) or ""
        if value.startswith("-"):
            excluded[name] = (label(value[1:]), url_with(**{name: None}))
    return excluded


def _facet_href(search_request, name: str, value) -> str:
    """The address that adds this facet value as a filter, or removes it if it is one already."""
    if name == "tag":
        tags = [t for t in search_request.tags if t != value.value] if value.selected \
            else [*search_request.tags, value.value]
        return url_with(tag=",".join(tags) or None)
    return url_with(**{PARAMETERS[name]: None if value.selected else value.value})
