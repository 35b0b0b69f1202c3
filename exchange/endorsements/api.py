"""The endorsement rows of the API: PUT and DELETE /articles/{slug}/endorsement, GET /articles/{slug}/adoptions."""
from flask import g, jsonify

from exchange.api import bp, openapi, read_json, require_api_user
from exchange.articles.services import get_article
from exchange.endorsements import services
from exchange.endorsements.limits import endorse_rate
from exchange.errors import Invalid
from exchange.templating import isodate

FIELDS = ("kind", "note", *services.STORY_FIELDS)


def _endorsement_body() -> dict:
    data = read_json(FIELDS)
    if data.get("note") is not None and not isinstance(data["note"], str):
        raise Invalid("note must be a string.", {"note": "a string"})
    return data


@bp.put("/articles/<slug>/endorsement")
@endorse_rate()
def put_endorsement(slug):
    user = require_api_user()
    data = _endorsement_body()
    article = get_article(user, slug)
    story = {key: data[key] for key in services.STORY_FIELDS if key in data}
    services.endorse(user, article, data.get("kind"), data.get("note") or "", story)
    return jsonify(services.summary(article, user))


@bp.get("/articles/<slug>/adoptions")
def list_adoptions(slug):
    article = get_article(g.api_user, slug)
    items = [adoption_json(row) for row in services.adoptions_of(article)]
    return jsonify({"items": items, "total": len(items)})


def adoption_json(row) -> dict:
    return {"agency": {"slug": row.agency.slug, "name": row.agency.name}, "by": {"name": row.user.name},
            "own_agency": row.agency_id == row.article.agency_id, "note": row.note,
            **services.story_of(row), "created_at": isodate(row.created_at), "updated_at": isodate(row.updated_at)}


@bp.delete("/articles/<slug>/endorsement")
@endorse_rate()
def delete_endorsement(slug):
    user = require_api_user()
    services.withdraw(user, get_article(user, slug))
    return "", 204


SCHEMAS = {
    "EndorsementInput": {
        "type": "object", "required": ["kind"], "additionalProperties": False,
        "properties": {"kind": {"type": "string", "enum": ["endorse", "adopt"]},
                       "note": {"type": ["string", "null"], "maxLength": services.NOTE_MAX,
                                "pattern": openapi.NO_NUL_PATTERN},
                       "adopted_on": {"type": ["string", "null"],
                                      "anyOf": [{"type": "null"}, {"const": ""}, {"type": "string", "format": "date"}],
                                      "description": "adoptions only: when your agency adopted it; not in the "
                                                     "future; empty or null: not said"},
                       "status": {"type": ["string", "null"], "enum": ["piloting", "in_use", "stopped", None],
                                  "description": "adoptions only: how it is going"},
                       "outcome": {"type": ["string", "null"], "maxLength": services.OUTCOME_MAX,
                                   "pattern": openapi.NO_NUL_PATTERN,
                                   "description": "adoptions only: the outcome in a sentence"}},
        # An endorsement has no adoption story: its fields are absent, null or empty.
        "if": {"properties": {"kind": {"const": "endorse"}}, "required": ["kind"]},
        "then": {"properties": {"adopted_on": {"enum": [None, ""]}, "status": {"const": None},
                                "outcome": {"enum": [None, ""]}}},
    },
    "Adoption": {
        "type": "object",
        "properties": {
            "agency": {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}},
            "by": {"type": "object", "properties": {"name": {"type": "string"}}},
            "own_agency": {"type": "boolean", "description": "the article's own agency (counts a quarter)"},
            "note": {"type": "string"},
            "adopted_on": {"type": ["string", "null"], "format": "date"},
            "status": {"type": ["string", "null"], "enum": ["piloting", "in_use", "stopped", None]},
            "outcome": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "EndorsementSummary": {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "description": "people who endorsed or adopted (each once)"},
            "adoptions": {"type": "integer"},
            "endorsements": {"type": "integer", "description": "endorsements that are not adoptions"},
            "label": {"type": "string", "description": "who vouched, in plain words, with the score"},
            "agencies": {"type": "integer", "description": "distinct agencies"},
            "score": {"type": "number", "description": "sum of weights (DESIGN.md section 4)"},
            "yours": {"type": ["object", "null"], "properties": {
                "kind": {"type": "string"}, "note": {"type": "string"}, "weight": {"type": "number"},
                "adopted_on": {"type": ["string", "null"], "format": "date"},
                "status": {"type": ["string", "null"]}, "outcome": {"type": "string"}}},
        },
    },
}
PATHS = {
    "/articles/{slug}/adoptions": {
        "get": {
            "summary": "An article's adoptions with their stories, newest first",
            "security": [{}, {"bearer": []}],
            "parameters": [openapi.path_param("slug")],
            "responses": {"200": openapi.json_response({
                "type": "object", "properties": {"items": {"type": "array", "items": openapi.ref("Adoption")},
                                                 "total": {"type": "integer"}}}),
                **openapi.errors("401", "404")},
        },
    },
    "/articles/{slug}/endorsement": {
        "put": {
            "summary": "Endorse or adopt a published article (replaces your earlier one)",
            "parameters": [openapi.path_param("slug")],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": openapi.ref("EndorsementInput")}}},
            "responses": {"200": openapi.json_response(openapi.ref("EndorsementSummary")),
                          **openapi.errors("401", "403", "404", "409", "422", "429")},
        },
        "delete": {
            "summary": "Withdraw your endorsement",
            "parameters": [openapi.path_param("slug")],
            "responses": {"204": {"description": "Withdrawn (or there was none)"},
                          **openapi.errors("401", "404", "429")},
        },
    },
}

