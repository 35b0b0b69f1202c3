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


def tag_json(tag, article_count: int | None = None) -> dict:
    data = {"slug": tag.slug, "name": tag.name}
    if article_count is not None:
        data["article_count"] = article_count
    return data


def article_json(article, body: bool = True) -> dict:
    """An article as the API shows it (DESIGN.md section 7)."""
    from flask import current_app

    featured = current_app.extensions.get("exchange.is_featured", lambda _article: False)
    data = {
        "slug": article.slug,
        "title": article.title,
        "kind": article.kind,
        "summary": article.summary,
        "tags": article.tag_names,
        "agency": {"slug": article.agency.slug, "name": article.agency.name},
        "author": {"name": article.author.name},
        "status": article.status,
        "edit_policy": article.edit_policy,
        "evidence_level": article.evidence_level,
        "stage": article.stage,
        "revision": article.revision,
        "created_at": isodate(article.created_at),
        "updated_at": isodate(article.updated_at),
        "published_at": isodate(article.published_at) or None,
        "review_by": isodate(article.review_by) or None,
        "url": f"/articles/{article.slug}",
        "featured": featured(article),
        "endorsements": {
            "count": article.endorsement_count,
            "adoptions": article.adoption_count,
            "agencies": article.agency_count,
            "score": round(article.score, 4),
        },
    }
    if body:
        data["body"] = article.body
        data["html"] = article.html
    return data


def revision_json(revision) -> dict:
    return {
        "number": revision.number,
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "tags": revision.tags,
        **revision.meta,
        "author": {"id": revision.author.id, "name": revision.author.name},
        "change_note": revision.change_note,
        "created_at": isodate(revision.created_at),
    }
