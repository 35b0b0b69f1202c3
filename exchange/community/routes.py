"""Community pages: comments, flags, follows, notifications and the Atom feeds."""
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from exchange.accounts.services import get_agency
from exchange.articles.queries import get_tag
from exchange.community import feeds, follows, notifications, questions, services, updates
from exchange.community.forms import AskForm, CommentForm, FlagForm
from exchange.db import utcnow
from exchange.errors import DomainError, Invalid, NotFound
from exchange.extensions import limiter
from exchange.forms import show_refusal, status_for
from exchange.pagination import page_number
from exchange.permissions import UNVERIFIED, is_verified
from exchange.templating import page_parts
from exchange.urls import safe_next

bp = Blueprint("community", __name__)

LIMIT_NOTICE = ("You have posted several comments in a short time. Wait a minute, then post this one again: "
                "your text is kept below.")
PENDING_NOTICE = ("Your comment has a link, and links from new accounts wait for a moderator: "
                  "only you can see it until it is approved.")


def comment_limit() -> str:
    return current_app.config["COMMENT_RATE_LIMIT"]


def per_person() -> str:
    """Rate-limit key: the signed-in person or the token's owner, else the address."""
    user = g.get("api_user") or current_user
    return f"user:{user.id}" if getattr(user, "is_authenticated", False) else get_remote_address()


def limit_comments(view):
    """At most ``COMMENT_RATE_LIMIT`` new comments per person, pages and API together.

    Only accepted comments count (a page's redirect, the API's 201): a refused one costs nothing.
    """
    return limiter.shared_limit(comment_limit, scope="comments", key_func=per_person,
                                deduct_when=lambda response: response.status_code in (201, 302),
                                on_breach=_keep_the_comment)(view)


def _keep_the_comment(_limit):
    """Over the limit in the page: the form again (429) with the typed text kept and why; the API answers as ever."""
    if request.endpoint != "community.add_comment" or not current_user.is_authenticated:
        return None
    article = services.commentable_article(current_user, request.view_args["slug"])
    form = CommentForm()
    form.form_errors.append(LIMIT_NOTICE)
    return make_response(_comment_page(form, article), 429)


# Comments -----------------------------------------------------------------------

@bp.post("/articles/<slug>/comments")
@login_required
@limit_comments
def add_comment(slug):
    article = services.commentable_article(current_user, slug)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            comment = services.add_comment(current_user, article, form.body.data, form.parent_id.data)
        except Invalid as error:  # a broken rule shows in the form; refusals are error pages
            show_refusal(form, error)
        else:
            if comment.status == "pending":
                flash(PENDING_NOTICE, "info")
            else:
                flash("Your comment is published.", "success")
            return redirect(url_for("articles.show", slug=slug, _anchor=f"comment-{comment.id}"))
    return _comment_page(form, article), status_for(form)


def _comment_page(form, article) -> str:
    """The comment form on its own page, with what was typed: after any refusal."""
    heading = "Check your reply" if form.parent_id.data else "Check your comment"
    return render_template("community/comment_form.html", form=form, article=article, heading=heading,
                           action=url_for("community.add_comment", slug=article.slug))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id):
    comment = services.get_comment(current_user, comment_id)
    services.require_editable(current_user, comment)
    form = CommentForm(data={"body": comment.body} if request.method == "GET" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.edit_comment(current_user, comment, form.body.data)
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash(PENDING_NOTICE if comment.status == "pending" else "Your comment is saved.", "success")
            return redirect(subject_url(comment, f"comment-{comment.id}"))
    return render_template("community/comment_form.html", form=form, article=comment.article,
                           heading="Edit your comment", comment=comment, subject=comment.subject,
                           back_url=subject_url(comment, "comments"),
                           action=url_for("community.edit_comment", comment_id=comment.id)), status_for(form)


def subject_url(comment, anchor=None) -> str:
    """The page of what the comment is under (its article or its challenge)."""
    return url_for(comment.subject_endpoint, slug=comment.subject.slug, _anchor=anchor)


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete_comment(comment_id):
    comment = services.get_comment(current_user, comment_id)
    services.delete_comment(current_user, comment)
    flash("Your comment is deleted.", "success")
    return redirect(subject_url(comment, "comments"))


# Flags --------------------------------------------------------------------------

@bp.route("/articles/<slug>/flag", methods=["GET", "POST"])
@login_required
def flag_article(slug):
    return _flag_page(services.commentable_article(current_user, slug), None)


@bp.route("/comments/<int:comment_id>/flag", methods=["GET", "POST"])
@login_required
def flag_comment(comment_id):
    comment = services.get_comment(current_user, comment_id)
    if comment.status != "published":
        raise NotFound("Only published comments can be reported.")
    if comment.article_id is None:
        return _flag_challenge_comment(comment)
    return _flag_page(comment.article, comment)


def _flag_challenge_comment(comment):
    form = FlagForm()
    if form.validate_on_submit():
        try:
            services.flag_challenge_comment(current_user, comment, form.reason.data, form.details.data)
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash("Thank you: a moderator will look at it.", "success")
            return redirect(subject_url(comment, f"comment-{comment.id}"))
    return render_template("community/flag.html", form=form, article=None, comment=comment, subject=comment.subject,
                           back_url=subject_url(comment, f"comment-{comment.id}")), status_for(form)


def _flag_page(article, comment):
    form = FlagForm()
    if form.validate_on_submit():
        try:
            services.flag(current_user, article, form.reason.data, form.details.data, comment=comment)
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash("Thank you: a moderator will look at it.", "success")
            anchor = f"comment-{comment.id}" if comment else None
            return redirect(url_for("articles.show", slug=article.slug, _anchor=anchor))
    return render_template("community/flag.html", form=form, article=article, comment=comment), status_for(form)


# Asking a practice's team ---------------------------------------------------------

ASK_LIMIT_NOTICE = ("You have sent several questions in a short time. Wait a while, then send this one again: "
                    "your text is kept below.")
ASK_SENT = ("Your question is sent to the people behind this practice. They answer by email, to your address, "
            "when they can.")


def ask_limit() -> str:
    return current_app.config["ASK_RATE_LIMIT"]


def _keep_the_question(_limit):
    """Over the limit: the form again (429) with the typed text kept and why."""
    article = questions.askable_article(current_user, request.view_args["slug"])
    form = AskForm()
    form.form_errors.append(ASK_LIMIT_NOTICE)
    return make_response(_ask_page(form, article), 429)


@bp.route("/articles/<slug>/ask", methods=["GET", "POST"])
@login_required
@limiter.limit(ask_limit, key_func=per_person, methods=["POST"], scope="ask-team",
               deduct_when=lambda response: response.status_code == 302, on_breach=_keep_the_question)
def ask_team(slug):
    article = questions.askable_article(current_user, slug)
    form = AskForm()
    if not is_verified(current_user):
        return _ask_page(form, article, refused=UNVERIFIED), 403
    if form.validate_on_submit():
        try:
            questions.ask_team(current_user, article, form.body.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(ASK_SENT, "success")
            return redirect(url_for("articles.show", slug=slug))
    return _ask_page(form, article), status_for(form)


def _ask_page(form, article, refused=None) -> str:
    return render_template("community/ask.html", form=form, article=article, refused=refused,
                           max_length=questions.MAX_LENGTH)


# Following ----------------------------------------------------------------------

@bp.post("/follow/<kind>/<key>")
@login_required
def follow(kind, key):
    target = follows.find_target(current_user, kind, key)
    follows.follow(current_user, kind, target)
    flash(f"You follow {_name(kind, target)}.", "success")
    return redirect(_back(kind, target))


@bp.post("/unfollow/<kind>/<key>")
@login_required
def unfollow(kind, key):
    target = follows.find_target(current_user, kind, key)
    follows.unfollow(current_user, kind, target)
    flash(f"You no longer follow {_name(kind, target)}.", "success")
    return redirect(_back(kind, target))


def _name(kind, target) -> str:
    return target.title if kind == "article" else target.name


def _back(kind, target) -> str:
    return safe_next(request.form.get("next")) or _page_of(kind, target)


def _page_of(kind, target) -> str:
    if kind == "person":
        return url_for("accounts.person", user_id=target.id)
    endpoint = {"tag": "articles.tag", "agency": "articles.agency", "article": "articles.show"}[kind]
    return url_for(endpoint, slug=target.slug)


# Get updates ------------------------------------------------------------------------

UPDATES = {  # per kind: what following sends, what the feed carries, the feed's endpoint
    "tag": ("new practices in this topic", "the newest practices in this topic", "community.tag_feed"),
    "agency": ("new practices from this agency", "the newest practices from this agency", "community.agency_feed"),
    "article": ("new comments on this practice", "each new version of this practice, with its change note",
                "community.article_feed"),
}


@bp.get("/tags/<slug>/updates")
def tag_updates(slug):
    return _updates_page("tag", slug)


@bp.get("/agencies/<slug>/updates")
def agency_updates(slug):
    return _updates_page("agency", slug)


@bp.get("/articles/<slug>/updates")
def article_updates(slug):
    return _updates_page("article", slug)


def _updates_page(kind, slug):
    target = follows.find_target(current_user, kind, slug)
    by_email, in_feed, feed = UPDATES[kind]
    return render_template("community/updates.html", kind=kind, target=target, name=_name(kind, target),
                           by_email=by_email, in_feed=in_feed, page_path=_page_of(kind, target),
                           feed_url=url_for(feed, slug=target.slug, _external=True),
                           following=follows.is_following(current_user, kind, target),
                           **page_parts("updates", target))


# Notifications ------------------------------------------------------------------

@bp.get("/notifications")
@login_required
def notifications_page():
    page = page_number(request.args.get("page"))
    items, total = notifications.list_notifications(current_user, page)
    pages = max(1, -(-total // notifications.PER_PAGE))
    return render_template("community/notifications.html", items=items, total=total, page=page, pages=pages)


@bp.post("/notifications/read")
@login_required
def read_all():
    notifications.mark_read(current_user)
    flash("All your notifications are marked as read.", "success")
    return redirect(url_for("community.notifications_page"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read_one(notification_id):
    notifications.mark_read(current_user, notification_id)
    return redirect(safe_next(request.form.get("next")) or url_for("community.notifications_page"))


@bp.get("/feeds/new.atom")
def new_feed():
    info = _info("feed:new", "New on the Exchange", "The newest case studies and playbooks from public agencies.",
                 url_for("site.home", _external=True), utcnow())
    return _respond(info, feeds.newest())


@bp.get("/feeds/tags/<slug>.atom")
def tag_feed(slug):
    tag = get_tag(current_user, slug)
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


@bp.get("/feeds/articles/<slug>.atom")
def article_feed(slug):
    article = follows.find_target(current_user, "article", slug)  # a draft has no feed
    info = _info(f"feed:article:{article.id}", f"Changes to {article.title}",
                 f"Each new version of {article.title} on the Exchange, with its change note.",
                 url_for("articles.show", slug=article.slug, _external=True), article.created_at)
    authority, date = _authority()
    entries = [feeds.Entry(
        feeds.tag_uri(authority, date, f"article:{article.id}:revision:{change.revision.number}"),
        f"Revision {change.revision.number}: {change.revision.change_note or 'updated'}",
        change.revision.created_at, change.revision.created_at, _change_url(article, change),
        change.revision.author.name, url_for("accounts.person", user_id=change.revision.author_id, _external=True),
        change.revision.change_note or f"{article.title} was updated.",
    ) for change in updates.public_changes(article)]
    return _feed_response(info, entries)


def _change_url(article, change) -> str:
    if change.previous is None:
        return url_for("articles.history", slug=article.slug, _external=True)
    return url_for("articles.diff", slug=article.slug, _external=True,
                   **{"from": change.previous, "to": change.revision.number})


def _authority() -> tuple[str, str]:
    # The configured names before the request's (a trusted one, see exchange/serving.py).
    authority = (current_app.config["FEED_TAG_AUTHORITY"] or current_app.config["SERVER_NAME"]
                 or request.host).rsplit(":", 1)[0]
    return authority, current_app.config["FEED_TAG_DATE"]


def _info(specific, title, subtitle, page_url, empty_updated) -> feeds.FeedInfo:
    authority, date = _authority()
    return feeds.FeedInfo(feeds.tag_uri(authority, date, specific), title, subtitle,
                          url_for(request.endpoint, **request.view_args, _external=True),
                          page_url, empty_updated)


def _respond(info: feeds.FeedInfo, articles):
    authority, date = _authority()
    entries = feeds.entries_of(
        articles,
        entry_id=lambda a: feeds.tag_uri(authority, date, f"article:{a.id}"),
        entry_url=lambda a: url_for("articles.show", slug=a.slug, _external=True),
        person_url=lambda a: url_for("accounts.person", user_id=a.author_id, _external=True),
    )
    return _feed_response(info, entries)


def _feed_response(info: feeds.FeedInfo, entries):
    body = feeds.render(info, entries, stylesheet=url_for("static", filename="xsl/feeds.xsl"))
    response = current_app.response_class(body, content_type=feeds.content_type(request.accept_mimetypes))
    response.vary.add("Accept")
    response.add_etag()
    return response.make_conditional(request)
