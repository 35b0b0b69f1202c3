"""Challenge pages: the list, asking, reading with answers, "this helped us", "same problem", closing."""
from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from exchange.challenges import services
from exchange.challenges.forms import AnswerForm, ChallengeForm, CloseForm, HelpedForm
from exchange.community import feeds
from exchange.community.forms import CommentForm
from exchange.community.routes import LIMIT_NOTICE, PENDING_NOTICE, comment_limit, per_person
from exchange.db import utcnow
from exchange.errors import Conflict, DomainError, Invalid
from exchange.extensions import limiter
from exchange.forms import show_refusal, status_for
from exchange.pagination import page_number
from exchange.search.related import related_to_text

bp = Blueprint("challenges", __name__)
PER_PAGE = 20


@bp.get("/challenges")
def index():
    page = page_number(request.args.get("page"))
    items, total = services.list_challenges(page=page, per_page=PER_PAGE)
    return render_template("challenges/list.html", challenges=items, total=total, page=page,
                           pages=max(1, -(-total // PER_PAGE)), drafts=services.drafts_of(current_user))


@bp.route("/challenges/new", methods=["GET", "POST"])
@login_required
def new():
    form = ChallengeForm()
    if form.validate_on_submit():
        status = "open" if "publish" in request.form else "draft"
        try:
            challenge = services.post_challenge(current_user, {**_fields(form), "status": status})
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash("Your challenge is published." if status == "open" else "Your draft is saved: only your "
                  "agency can see it.", "success")
            return redirect(url_for("challenges.show", slug=challenge.slug))
    return render_template("challenges/edit.html", form=form, challenge=None), status_for(form)


@bp.route("/challenges/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    challenge = services.get_challenge(current_user, slug)
    _require_asker(challenge)
    form = ChallengeForm(data=_data(challenge) if request.method == "GET" else None)
    if request.method == "POST" and form.validate_on_submit():
        fields = _fields(form)
        if "publish" in request.form:
            fields["status"] = "open"
        try:
            services.update_challenge(current_user, challenge, fields)
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash("Your challenge is saved.", "success")
            return redirect(url_for("challenges.show", slug=challenge.slug))
    return render_template("challenges/edit.html", form=form, challenge=challenge), status_for(form)


def _require_asker(challenge) -> None:
    from exchange.errors import Forbidden

    if not services.is_asker(current_user, challenge):
        raise Forbidden(f"Only staff of {challenge.agency.name} and admins may change this challenge.")


def _fields(form) -> dict:
    return {"title": form.title.data, "problem": form.problem.data, "tags": form.tags.data or "",
            "deadline": form.deadline.data or None}


def _data(challenge) -> dict:
    return {"title": challenge.title, "problem": challenge.problem,
            "tags": ", ".join(t.name for t in challenge.tags),
            "deadline": challenge.deadline.isoformat() if challenge.deadline else ""}


@bp.get("/challenges/<slug>")
def show(slug):
    challenge = services.get_challenge(current_user, slug)
    return _page(challenge, AnswerForm(), HelpedForm(), CloseForm())


def _page(challenge, answer_form, helped_form, close_form, status=200, helped_id=None, comment_form=None):
    answers = services.answers_of(current_user, challenge)
    comments = services.comments_of(current_user, challenge)
    asker = services.is_asker(current_user, challenge)
    suggestions = []
    if current_user.is_authenticated and not asker and challenge.status in ("open", "answered"):
        answered = {a.article_id for a in answers}
        suggestions = [a for a in related_to_text(challenge.title, challenge.text, challenge.tags)
                       if a.id not in answered]
    return render_template(
        "challenges/show.html", challenge=challenge, answers=answers, asker=asker,
        same=services.same_problem_agencies(challenge), suggestions=suggestions[:5],
        answer_form=answer_form, helped_form=helped_form, close_form=close_form, helped_id=helped_id,
        comments=comments, comment_count=sum(e.full for e in comments),
        comment_form=comment_form or CommentForm(formdata=None),
        helped_form_for=lambda answer_id: helped_form if answer_id == helped_id
        else HelpedForm(formdata=None).for_answer(answer_id),
        voted=current_user.is_authenticated and any(v.agency_id == current_user.agency_id
                                                    for v in services.same_problem_agencies(challenge)),
    ), status


@bp.post("/challenges/<slug>/answers")
@login_required
def add_answer(slug):
    challenge = services.get_challenge(current_user, slug)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            row = services.answer(current_user, challenge, _practice_slug(form.practice.data), form.note.data,
                                  form.draft_title.data)
        except Invalid as error:
            show_refusal(form, error)
        else:
            if row.article.status == "draft":
                flash("Your case study is started as a draft, linked to this challenge: it shows as an answer "
                      "once it is published.", "success")
                return redirect(url_for("articles.edit", slug=row.article.slug))
            flash("Your answer is published.", "success")
            return redirect(url_for("challenges.show", slug=slug, _anchor=f"answer-{row.id}"))
    return _page(challenge, form, HelpedForm(), CloseForm(), status_for(form))


def _keep_the_comment(_limit):
    """Over the comment limit (shared with articles' comments): the page again (429), the typed text kept."""
    if not current_user.is_authenticated:
        return None
    challenge = services.get_challenge(current_user, request.view_args["slug"])
    form = CommentForm()
    form.form_errors.append(LIMIT_NOTICE)
    return make_response(_page(challenge, AnswerForm(), HelpedForm(), CloseForm(), 429, comment_form=form))


@bp.post("/challenges/<slug>/comments")
@login_required
@limiter.shared_limit(comment_limit, scope="comments", key_func=per_person,
                      deduct_when=lambda response: response.status_code in (201, 302), on_breach=_keep_the_comment)
def add_comment(slug):
    challenge = services.get_challenge(current_user, slug)
    form, status = CommentForm(), None
    if form.validate_on_submit():
        try:
            row = services.comment(current_user, challenge, form.body.data)
        except (Invalid, Conflict) as error:  # a broken house rule or a repeat shows in the form
            show_refusal(form, error)
            status = error.status
        else:
            flash(PENDING_NOTICE if row.status == "pending" else "Your comment is published.",
                  "info" if row.status == "pending" else "success")
            return redirect(url_for("challenges.show", slug=slug, _anchor=f"comment-{row.id}"))
    return _page(challenge, AnswerForm(), HelpedForm(), CloseForm(), status or status_for(form), comment_form=form)


def _practice_slug(text: str | None) -> str | None:
    """A practice's slug, from its slug or its address (…/articles/<slug>)."""
    text = (text or "").strip().rstrip("/")
    return text.rsplit("/articles/", 1)[-1].split("?")[0].split("#")[0] if text else None


@bp.post("/challenges/<slug>/answers/<int:answer_id>/helped")
@login_required
def helped(slug, answer_id):
    challenge = services.get_challenge(current_user, slug)
    row = services.get_answer(current_user, challenge, answer_id)
    form = HelpedForm().for_answer(row.id)
    if form.validate_on_submit():
        try:
            services.mark_helped(current_user, row, form.why.data, bool(form.adopt.data),
                                 form.story() if form.adopt.data else None)  # the story stays typed, unused
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash("Marked as helpful" + (", and your adoption is recorded." if form.adopt.data else "."), "success")
            return redirect(url_for("challenges.show", slug=slug, _anchor=f"answer-{row.id}"))
    return _page(challenge, AnswerForm(), form, CloseForm(), status_for(form), helped_id=row.id)


@bp.post("/challenges/<slug>/answers/<int:answer_id>/helped/delete")
@login_required
def unhelped(slug, answer_id):
    challenge = services.get_challenge(current_user, slug)
    services.unmark_helped(current_user, services.get_answer(current_user, challenge, answer_id))
    flash("No longer marked as helpful.", "success")
    return redirect(url_for("challenges.show", slug=slug, _anchor=f"answer-{answer_id}"))


@bp.post("/challenges/<slug>/same-problem")
@login_required
def same_problem(slug):
    challenge = services.get_challenge(current_user, slug)
    try:
        services.same_problem(current_user, challenge)
    except DomainError as error:
        if error.status != 409:
            raise
        flash(error.message, "info")
    else:
        flash("Counted: your agency has this problem too.", "success")
    return redirect(url_for("challenges.show", slug=slug))


@bp.post("/challenges/<slug>/same-problem/delete")
@login_required
def withdraw_same_problem(slug):
    services.withdraw_same_problem(current_user, services.get_challenge(current_user, slug))
    flash("Your agency is no longer counted.", "success")
    return redirect(url_for("challenges.show", slug=slug))


@bp.post("/challenges/<slug>/close")
@login_required
def close(slug):
    challenge = services.get_challenge(current_user, slug)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            services.close(current_user, challenge, form.outcome.data)
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash("The challenge is closed.", "success")
            return redirect(url_for("challenges.show", slug=slug))
    return _page(challenge, AnswerForm(), HelpedForm(), form, status_for(form))


# Atom feeds -------------------------------------------------------------------------------------

@bp.get("/feeds/challenges.atom")
def feed():
    return _feed("challenges", "Challenges on the Exchange", "New problems agencies want solved.",
                 url_for("challenges.index", _external=True), services.feed())


@bp.get("/feeds/challenges/tags/<slug>.atom")
def tag_feed(slug):
    tag = services.topic(current_user, slug)
    return _feed(f"challenges:tag:{tag.id}", f"Challenges in {tag.name} on the Exchange",
                 f"New problems in {tag.name} that agencies want solved.",
                 url_for("challenges.index", _external=True), services.feed(tag))


def _feed(specific: str, title: str, subtitle: str, page_url: str, challenges):
    config = current_app.config
    authority = (config["FEED_TAG_AUTHORITY"] or config["SERVER_NAME"] or request.host).rsplit(":", 1)[0]
    date = config["FEED_TAG_DATE"]
    info = feeds.FeedInfo(feeds.tag_uri(authority, date, f"feed:{specific}"), title, subtitle,
                          url_for(request.endpoint, **request.view_args, _external=True), page_url, utcnow())
    entries = feeds.entries_of(
        challenges,
        entry_id=lambda c: feeds.tag_uri(authority, date, f"challenge:{c.id}"),
        entry_url=lambda c: url_for("challenges.show", slug=c.slug, _external=True),
        person_url=lambda c: url_for("accounts.person", user_id=c.author_id, _external=True),
    )
    body = feeds.render(info, entries, stylesheet=url_for("static", filename="xsl/feeds.xsl"))
    response = current_app.response_class(body, content_type=feeds.content_type(request.accept_mimetypes))
    response.vary.add("Accept")
    response.add_etag()
    return response.make_conditional(request)
