"""The impact rows of the API: an agency's impact (public) and the token owner's dashboard."""
from flask import jsonify, url_for

from exchange.accounts.api import agency_json
from exchange.api import api_user, bp, openapi, require_api_user
from exchange.impact import services
from exchange.templating import isodate


def _agency(agency) -> dict:
    return {"slug": agency.slug, "name": agency.name}


def _practice(article) -> dict:
    return {"slug": article.slug, "title": article.title, "url": url_for("articles.show", slug=article.slug)}


def _adoption(adoption) -> dict:
    return {"practice": _practice(adoption.article), "agency": _agency(adoption.agency), "note": adoption.note,
            "created_at": isodate(adoption.created_at)}


def _helped(answer) -> dict:
    """An answer the asking agency marked "this helped us": "Helped <agency> with: <challenge>"."""
    challenge = answer.challenge
    return {"agency": _agency(challenge.agency),
            "challenge": {"slug": challenge.slug, "title": challenge.title,
                          "url": url_for("challenges.show", slug=challenge.slug)},
            "practice": _practice(answer.article), "why": answer.helped_why,
            "helped_at": isodate(answer.helped_at)}


def _tally(tally) -> dict:
    return {"agency": _agency(tally.subject), "adoptions": tally.count}


@bp.get("/agencies/<slug>/impact")
def agency_impact(slug):
    impact = services.agency_impact(api_user(), slug)
    data = {
        "agency": agency_json(impact.agency),
        **impact.totals,
        "learned_from": [_tally(t) for t in impact.learned_from],
        "taught": [_tally(t) for t in impact.taught],
        "recent_adoptions": [_adoption(a) for a in impact.adoptions],
        "helped": [_helped(a) for a in impact.helped],
        "views": None if impact.reach is None else {
            "total": impact.reach.total, "days": [{"day": isodate(d), "views": n} for d, n in impact.reach.days]},
    }
    return jsonify(data)


@bp.get("/me/dashboard")
def dashboard():
    board = services.dashboard(require_api_user())
    return jsonify({
        "month": isodate(board.month),
        "totals": board.totals,
        "practices": [{**_practice(p.article), "views": {"month": p.views_month, "total": p.views_total},
                       "endorsements": {"month": p.endorsements_month, "total": p.endorsements_total},
                       "adoptions": {"month": p.adoptions_month, "total": p.adoptions_total}}
                      for p in board.practices],
        "drafts": [_practice(draft) for draft in board.drafts],
        "adopted_from_me": [_adoption(a) for a in board.adoptions],
        "unmet_searches": [{"query": u.query, "searches": u.searches} for u in board.unmet],
        "helped": [_helped(a) for a in board.helped],
    })


_COUNT = {"type": "integer", "minimum": 0}
_MONTH_TOTAL = {"type": "object", "required": ["month", "total"], "additionalProperties": False,
                "properties": {"month": _COUNT, "total": _COUNT}}
_NAMED = {"type": "object", "required": ["slug", "name"], "properties": {
    "slug": {"type": "string"}, "name": {"type": "string"}}}
_PRACTICE = {"slug": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}}

SCHEMAS = {
    "ImpactAdoption": {"type": "object", "required": ["practice", "agency", "note", "created_at"], "properties": {
        "practice": {"type": "object", "properties": _PRACTICE}, "agency": _NAMED, "note": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"}},
        "description": "Another agency's adoption of a published practice (no person named)"},
    "ImpactHelped": {"type": "object", "required": ["agency", "challenge", "practice", "why", "helped_at"],
                     "description": "An answer the asking agency marked \u201cthis helped us\u201d: "
                                    "Helped <agency> with: <challenge>", "properties": {
        "agency": {**_NAMED, "description": "the asking agency"},
        "challenge": {"type": "object", "properties": _PRACTICE},
        "practice": {"type": "object", "properties": _PRACTICE},
        "why": {"type": "string"}, "helped_at": {"type": "string", "format": "date-time"}}},
    "ImpactPartner": {"type": "object", "required": ["agency", "adoptions"], "properties": {
        "agency": _NAMED, "adoptions": _COUNT}},
    "AgencyImpact": {"type": "object", "required": [
        "agency", "practices", "endorsements_received", "adoptions_received", "endorsements_given",
        "adoptions_given", "learned_from", "taught", "recent_adoptions", "views"], "properties": {
        "agency": openapi.ref("Agency"),
        "practices": {**_COUNT, "description": "published practices"},
        "endorsements_received": {**_COUNT, "description": "from other agencies, on its published practices"},
        "adoptions_received": _COUNT, "endorsements_given": _COUNT, "adoptions_given": _COUNT,
        "learned_from": {"type": "array", "items": openapi.ref("ImpactPartner"),
                         "description": "agencies whose practices it adopted"},
        "taught": {"type": "array", "items": openapi.ref("ImpactPartner"),
                   "description": "agencies that adopted its practices"},
        "recent_adoptions": {"type": "array", "items": openapi.ref("ImpactAdoption")},
        "helped": {"type": "array", "items": openapi.ref("ImpactHelped"),
                   "description": "its answers to other agencies' challenges that helped them"},
        "views": {"type": ["object", "null"], "description": "the last 90 days; only for its own staff and admins",
                  "properties": {"total": _COUNT, "days": {"type": "array", "items": {
                      "type": "object", "properties": {"day": {"type": "string", "format": "date"},
                                                       "views": _COUNT}}}}}}},
    "Dashboard": {"type": "object", "required": [
        "month", "totals", "practices", "drafts", "adopted_from_me", "unmet_searches"], "properties": {
        "month": {"type": "string", "format": "date", "description": "the first day of this month (UTC)"},
        "totals": {"type": "object", "additionalProperties": _COUNT},
        "practices": {"type": "array", "items": {"type": "object", "properties": {
            **_PRACTICE, "views": _MONTH_TOTAL, "endorsements": _MONTH_TOTAL, "adoptions": _MONTH_TOTAL}}},
        "drafts": {"type": "array", "items": {"type": "object", "properties": _PRACTICE}},
        "adopted_from_me": {"type": "array", "items": openapi.ref("ImpactAdoption")},
        "unmet_searches": {"type": "array", "items": {"type": "object", "properties": {
            "query": {"type": "string"}, "searches": _COUNT}},
            "description": "searches of the last 30 days in my topics that found nothing"},
        "helped": {"type": "array", "items": openapi.ref("ImpactHelped"),
                   "description": "my answers to other agencies' challenges that helped them"}}},
}
PATHS = {
    "/agencies/{slug}/impact": {
        "get": {"summary": "An agency's impact: practices shared, endorsements and adoptions received and given, "
                           "who it learned from and taught", "security": [{}, {"bearer": []}],
                "parameters": [openapi.path_param("slug")],
                "responses": {"200": openapi.json_response(openapi.ref("AgencyImpact")),
                              **openapi.errors("401", "404")}},
    },
    "/me/dashboard": {
        "get": {"summary": "The token owner's dashboard: their practices' views, endorsements and adoptions, "
                           "drafts, and unmet searches in their topics",
                "responses": {"200": openapi.json_response(openapi.ref("Dashboard")), **openapi.errors("401")}},
    },
}
