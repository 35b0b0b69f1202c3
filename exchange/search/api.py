"""GET /api/v1/search: the search page's results as JSON."""
from flask import request

from exchange.api import bp, openapi, paginated
from exchange.search import services
from exchange.search.interface import FACETS, SORTS
from exchange.search.query import MAX_CHARS, MAX_TERMS


@bp.get("/search")
def search():
    found, _ = services.search(request.args, strict=True)
    facets = services.facet_values(found)
    return paginated({
        "query": found.request.query.original,
        "shortened": found.request.query.shortened,
        "total": found.total,
        "page": found.page,
        "per_page": found.request.per_page,
        "sort": found.request.sort,
        "partial": found.partial,
        "results": [_result(hit) for hit in found.hits],
        "facets": {name: [{"value": v.value, "label": v.label, "count": v.count} for v in facets[name]]
                   for name in FACETS},
        "suggestion": found.suggestion,
    }, found.page, found.request.per_page, found.total)


def _result(hit) -> dict:
    return {
        "slug": hit.slug,
        "title": hit.title,
        "kind": hit.kind,
        "agency": {"slug": hit.agency_slug, "name": hit.agency_name},
        "summary": hit.summary,
        "snippet": str(hit.snippet),
        "tags": [name for _, name in hit.tags],
        "score": round(hit.score, 4),
        "url": f"/articles/{hit.slug}",
    }


FACET_VALUE = {"type": "object", "properties": {
    "value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}}
SCHEMAS = {
    "SearchResult": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "kind": {"type": "string", "enum": ["case_study", "playbook"]},
            "agency": openapi.ref("AgencyRef"),
            "summary": {"type": "string"},
            "snippet": {"type": "string", "description": "HTML: escaped text with matches in <mark>"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "score": {"type": "number", "description": "The endorsement score"},
            "url": {"type": "string"},
        },
    },
    "SearchResults": {
        "type": "object",
        "required": ["query", "total", "page", "results", "facets", "suggestion"],
        "properties": {
            "query": {"type": "string",
                      "description": f"The query as searched (cleaned, at most {MAX_CHARS} characters "
                                     f"and {MAX_TERMS} content words, stop words aside)"},
            "shortened": {"type": "boolean", "description": "Whether the query was cut to fit those limits"},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "sort": {"type": "string", "enum": list(SORTS)},
            "partial": {"type": "boolean", "description": "The time limit cut the search short"},
            "results": {"type": "array", "items": openapi.ref("SearchResult")},
            "facets": {
                "type": "object",
                "description": "Counts over all results. evidence_level counts are 'this level or higher', "
                               "as the evidence_min filter uses them.",
                "properties": {name: {"type": "array", "items": FACET_VALUE} for name in FACETS},
            },
            "suggestion": {"type": ["string", "null"], "description": "A corrected query, if a word looked misspelt"},
            **openapi.PAGE_LINKS,
        },
    },
}
PATHS = {
    "/search": {
        "get": {
            "summary": "Search published case studies and playbooks",
            "security": [{}, {"bearer": []}],
            "parameters": [
                openapi.query_param("q", {"type": "string"},
                                    'Words, "phrases", AND, OR, NOT and (brackets). Any length is accepted; '
                                    f"the query is cut to {MAX_CHARS} characters and {MAX_TERMS} content words, and "
                                    "`shortened` says so"),
                openapi.query_param("kind", {"type": "string", "enum": ["case_study", "playbook"]}),
                openapi.query_param("tag", {"type": "string", "pattern": openapi.SLUG_LIST_FILTER_PATTERN},
                                    "A topic slug; several (comma-separated or repeated) must all match"),
                openapi.query_param("agency", {"type": "string", "pattern": openapi.SLUG_FILTER_PATTERN},
                                    "An agency slug; an unknown one is a 422"),
                openapi.query_param("evidence_min", {"type": "integer", "minimum": 1, "maximum": 5}),
                openapi.query_param("stage", {"type": "string",
                                              "enum": ["idea", "pilot", "implemented", "scaled", "retired"]}),
                openapi.query_param("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}),
                *openapi.page_params(),
            ],
            "responses": {"200": {**openapi.json_response(openapi.ref("SearchResults")),
                                  "headers": {"Link": openapi.LINK_HEADER}}, **openapi.errors("401", "422")},
        }
    }
}

