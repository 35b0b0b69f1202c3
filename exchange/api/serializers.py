"""How domain objects look in JSON."""
from exchange.templating import isodate


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


def user_json(user, private: bool = False) -> dict:
    data = {
        "id": user.id,
        "name": user.name,
        "job_title": user.job_title,
        "agency": {"slug": user.agency.slug, "name": user.agency.name},
    }
    if private:
        data.update(email=user.email, role=user.role, created_at=isodate(user.created_at))
    return data
