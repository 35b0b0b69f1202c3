"""GET /api/v1/search: the search page's results as JSON; GET /api/v1/articles/{slug}/related."""
from flask import g, jsonify, request

from exchange.api import bp, openapi, paginated
from exchange.articles import services as articles
from exchange.articles.api import article_json
from exchange.search import services, sources
from exchange.search.interface import FACETS, SORTS
from exchange.search.query import MAX_CHARS, MAX_TERMS
from exchange.search.related import RELATED, related_practices


@bp.get("/search")
def search():
    found, _ = services.search(request.args, strict=True)
    facets = services.facet_values(found)
    return paginated({
        "query": found.corrected_from or found.request.query.original,
        "corrected": found.request.query.original if found.corrected_from else None,
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


@bp.get("/articles/<slug>/related")
def related(slug):
    """Up to five published practices like the article (never itself), those sharing a topic first."""
    article = articles.get_article(g.api_user, slug)
    return jsonify({"items": [article_json(other, body=False) for other in related_practices(article)]})


def _result(hit) -> dict:
    return {
        "slug": hit.slug,
        "title": hit.title,
        "kind": hit.kind,
        "agency": {"slug": hit.agency_slug, "name": hit.agency_name, "country": hit.agency_country,
                   "level": hit.agency_level},
        "summary": hit.summary,
        "snippet": str(hit.snippet),
        "tags": [name for _, name in hit.tags],
        "score": round(hit.score, 4),
        "url": sources.path_of(hit.kind, hit.slug),
    }


FACET_VALUE = {"type": "object", "properties": {
    "value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}}
SCHEMAS = {
    "SearchResult": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "kind": {"type": "string", "enum": ["case_study", "playbook", "challenge"],
                     "description": "challenge: an agency's open, answered or closed question (its url is "
                                    "/challenges/{slug}); the others are practices (/articles/{slug})"},
            "agency": {"type": "object", "properties": {
                "slug": {"type": "string"}, "name": {"type": "string"},
                "country": {"type": "string", "description": "ISO 3166-1 two-letter code; empty if not stated"},
                "level": {"type": "string", "enum": ["national", "regional", "local", "other", ""]}}},
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
            "suggestion": {"type": ["string", "null"],
                           "description": "A corrected query that finds more, if a word looked misspelt"},
            "corrected": {"type": ["string", "null"],
                          "description": "The corrected query whose results these are, when the query as typed "
                                         "found nothing and its correction finds something (null otherwise; "
                                         "`as_typed=1` turns this off)"},
            **openapi.PAGE_LINKS,
        },
    },
}
PATHS = {
    "/search": {
        "get": {
            "summary": "Search published case studies and playbooks, and public challenges",
            "security": [{}, {"bearer": []}],
            "parameters": [
                openapi.query_param("q", {"type": "string"},
                                    'Words, "phrases", AND, OR, NOT and (brackets). Any length is accepted; '
                                    f"the query is cut to {MAX_CHARS} characters and {MAX_TERMS} content words, and "
                                    "`shortened` says so"),
                openapi.query_param("kind", {"type": "string", "enum": ["case_study", "playbook", "challenge"]},
                                    "challenge: only challenges (public ones: never a draft)"),
                openapi.query_param("tag", {"type": "string", "pattern": openapi.SLUG_LIST_FILTER_PATTERN},
                                    "A topic slug; several (comma-separated or repeated) must all match"),
                openapi.query_param("agency", {"type": "string", "pattern": openapi.SLUG_FILTER_PATTERN},
                                    "An agency slug; an unknown one is a 422"),
                openapi.query_param("evidence_min", {"type": "integer", "minimum": 1, "maximum": 5}),
                openapi.query_param("stage", {"type": "string",
                                              "enum": ["idea", "pilot", "implemented", "scaled", "retired"]}),
                *openapi.place_params(),
                openapi.query_param("as_typed", {"type": "string", "enum": ["0", "1"], "default": "0"},
                                    "1: search for the words as typed, even when they find nothing and a "
                                    "correction would find something"),
                openapi.query_param("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}),
                *openapi.page_params(),
            ],
            "responses": {"200": {**openapi.json_response(openapi.ref("SearchResults")),
                                  "headers": {"Link": openapi.LINK_HEADER}}, **openapi.errors("401", "422")},
        }
    }
}
PATHS["/articles/{slug}/related"] = {
    "get": {
        "summary": f"Up to {RELATED} published practices like this article, those sharing a topic first",
        "description": "Never the article itself, never a draft. A draft's own agency may ask for its draft's "
                       "related practices; to anyone else the draft, like an unknown slug, is a 404.",
        "operationId": "relatedArticles",
        "security": [{}, {"bearer": []}],
        "parameters": [openapi.path_param("slug")],
        "responses": {"200": openapi.json_response({"type": "object", "required": ["items"], "properties": {
            "items": {"type": "array", "maxItems": RELATED, "items": openapi.ref("Article")}}}),
            **openapi.errors("404")},
    }
}
