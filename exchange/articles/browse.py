"""Browsing: case studies, playbooks, topics and agencies, each sorted and paginated."""
from datetime import date

from flask import render_template, request
from flask_login import current_user

from exchange.accounts.services import get_agency
from exchange.articles import queries
from exchange.articles.routes import bp


def _listing(**filters):
    sort = request.args.get("sort", "new")
    sort = sort if sort in queries.SORT_LABELS else "new"
    page = queries.list_articles(sort=sort, page=queries.page_number(request.args.get("page")), **filters)
    return page, sort


@bp.get("/case-studies")
def case_studies():
    page, sort = _listing(kind="case_study")
    return render_template("articles/list.html", heading="Case studies", page=page, sort=sort,
                           intro="What agencies tried, and what happened.", kind="case_study")


@bp.get("/playbooks")
def playbooks():
    page, sort = _listing(kind="playbook")
    return render_template("articles/list.html", heading="Playbooks", page=page, sort=sort,
                           intro="How to do it: plays with checklists and key questions.", kind="playbook")


@bp.get("/tags")
def tags():
    return render_template("articles/tags.html", tags=queries.tags_with_counts())


@bp.get("/tags/<slug>")
def tag(slug):
    topic = queries.get_tag(slug)
    page, sort = _listing(tag=topic)
    return render_template("articles/tag.html", tag=topic, page=page, sort=sort)


@bp.get("/agencies")
def agencies():
    return render_template("articles/agencies.html", agencies=queries.agencies_with_counts())


@bp.get("/agencies/<slug>")
def agency(slug):
    owner = get_agency(slug)
    page, sort = _listing(agency=owner)
    return render_template(
        "articles/agency.html", agency=owner, page=page, sort=sort,
        due=queries.due_for_review(owner, date.today()), drafts=queries.drafts_for(current_user, owner),
    )
