"""The accounts rows of the API: who the token belongs to; how agencies and people look in JSON."""
from flask import jsonify

from exchange.accounts.models import User
from exchange.accounts.services import user_for_token
from exchange.api import bp, openapi, require_api_user, token_loader
from exchange.templating import isodate

token_loader(user_for_token)


@bp.get("/me")
def me():
    return jsonify(user_json(require_api_user(), private=True))


def agency_json(agency, article_count: int | None = None) -> dict:
    data = {
        "slug": agency.slug,
        "name": agency.name,
        "acronym": agency.acronym,
        "level": agency.level,
        "country": agency.country,
        "domains": agency.domain_names,
    }
    if article_count is not None:
        data["article_count"] = article_count
    return data


def user_json(user: User, private: bool = False) -> dict:
    data = {
        "id": user.id,
        "name": user.name,
        "job_title": user.job_title,
        "agency": {"slug": user.agency.slug, "name": user.agency.name},
    }
    if private:
        data.update(email=user.email, role=user.role, created_at=isodate(user.created_at))
    return data


ref, json_response, errors = openapi.ref, openapi.json_response, openapi.errors

SCHEMAS = {
    "Agency": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "acronym": {"type": "string"},
            "level": {"type": "string", "enum": ["national", "regional", "local", "other"]},
            "country": {"type": "string"},
            "domains": {"type": "array", "items": {"type": "string"}},
            "article_count": {"type": "integer"},
        },
    },
    "Me": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": "string"},
            "role": {"type": "string", "enum": ["member", "admin"]},
            "job_title": {"type": "string"},
            "agency": ref("AgencyRef"),
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
}

PATHS = {
    "/me": {
        "get": {
            "summary": "The token's owner",
            "responses": {"200": json_response(ref("Me")), **errors("401")},
        }
    },
}
