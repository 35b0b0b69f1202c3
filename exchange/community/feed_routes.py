"""The Atom feeds' addresses: newest, per topic, per agency."""
from flask import current_app, request, url_for

from exchange.accounts.services import get_agency
from exchange.articles.queries import get_tag
from exchange.community import feeds
from exchange.community.routes import bp
from exchange.db import utcnow


@bp.get("/feeds/new.atom")
def new_feed():
    info = _info("feed:new", "New on the Exchange", "The newest case studies and playbooks from public agencies.",
                 url_for("site.home", _external=True), utcnow())
    return _respond(info, feeds.newest())


@bp.get("/feeds/tags/<slug>.atom")
def tag_feed(slug):
    tag = get_tag(slug)
    info = _info(f"feed:tag:{tag.id}", f"{tag.name} on the Exchange", f"New practices in {tag.name}.",
                 url_for("articles.tag", slug=tag.slug, _external=True), tag.created_at)
    return _respond(info, feeds.newest(tag=tag))


@bp.get("/feeds/agencies/<slug>.atom")
def agency_feed(slug):
    agency = get_agency(slug)
    info = _info(f"feed:agency:{agency.id}", f"{agency.name} on the Exchange",
                 f"New practices from {agency.name}.",
                 url_for("articles.agency", slug=agency.slug, _external=True), agency.created_at)
    return _respond(info, feeds.newest(agency=agency))


def _authority() -> tuple[str, str]:
    authority = current_app.config["FEED_TAG_AUTHORITY"] or request.host.split(":")[0]
    return authority, current_app.config["FEED_TAG_DATE"]


def _info(specific, title, subtitle, page_url, empty_updated) -> feeds.FeedInfo:
    authority, date = _authority()
    return feeds.FeedInfo(feeds.tag_uri(authority, date, specific), title, subtitle, request.base_url,
                          page_url, empty_updated)


def _respond(info: feeds.FeedInfo, articles):
    authority, date = _authority()
    body = feeds.render(
        info, articles,
        entry_id=lambda a: feeds.tag_uri(authority, date, f"article:{a.id}"),
        entry_url=lambda a: url_for("articles.show", slug=a.slug, _external=True),
        person_url=lambda a: url_for("accounts.person", user_id=a.author_id, _external=True),
    )
    response = current_app.response_class(body, content_type=feeds.CONTENT_TYPE)
    response.add_etag()
    return response.make_conditional(request)
