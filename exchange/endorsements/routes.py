"""Endorse, adopt and withdraw from the article page."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from exchange.articles import services as articles
from exchange.articles.routes import article_page
from exchange.endorsements import services
from exchange.endorsements.forms import MEANINGS, EndorsementForm
from exchange.endorsements.limits import endorse_rate
from exchange.endorsements.models import ADOPTION_STATUSES
from exchange.errors import Invalid
from exchange.forms import show_refusal

bp = Blueprint("endorsements", __name__)

SAVED = {"endorse": "Your endorsement is saved.", "adopt": "Your agency's adoption is recorded."}


@bp.post("/articles/<slug>/endorsement")
@login_required
@endorse_rate()
def endorse(slug):
    article = articles.get_article(current_user, slug)
    form = EndorsementForm()
    if form.validate_on_submit():
        try:
            story = form.story() if form.kind.data == "adopt" else {}  # the fields stay typed, unused
            endorsement = services.endorse(current_user, article, form.kind.data, form.note.data, story)
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash(SAVED[endorsement.kind], "success")
            return redirect(url_for("articles.show", slug=article.slug, _anchor="endorsements"))
    return render_template("articles/show.html", **article_page(article, endorsement_form=form)), 422


@bp.post("/articles/<slug>/endorsement/delete")
@login_required
@endorse_rate()
def withdraw(slug):
    article = articles.get_article(current_user, slug)
    if services.withdraw(current_user, article):
        flash("Your endorsement is withdrawn.", "success")
    return redirect(url_for("articles.show", slug=article.slug, _anchor="endorsements"))


def article_parts(article) -> dict:
    """What the article page shows of its endorsements (see ``exchange.templating.page_parts``): the panel,
    and its form, prefilled with the reader's own endorsement."""
    contents = services.panel(article, current_user)
    # Only a form that is shown: making one puts a CSRF token in the session, and a visitor
    # would get a session cookie (and miss the page cache) for a form they cannot use.
    form = None
    if contents.refusal is None:
        mine = contents.mine
        form = EndorsementForm(formdata=None, obj=mine,
                               status=mine.adoption_status if mine else None,
                               adopted_on=mine.adopted_on.isoformat() if mine and mine.adopted_on else "")
    return {"panel": contents, "endorsement_form": form, "adoption_statuses": ADOPTION_STATUSES,
            "choice_meanings": MEANINGS}


@bp.get("/about/ranking")
def how_ranking_works():
    """The rules behind every ranking on the site, with a worked example."""
    return render_template("endorsements/ranking.html", **services.ranking_rules())


def agency_parts(agency) -> dict:
    """What an agency's page shows of the practices it adopted (the other half of "recorded on both pages")."""
    return {"adopted": services.adopted_by(agency)}


def person_parts(person) -> dict:
    """What a person's page shows of the endorsements of their work."""
    return {"recognition": services.person_summary(person)}
