"""Email preferences (/profile/notifications) and one-click unsubscribe (/unsubscribe/<token>)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from exchange.errors import DomainError
from exchange.extensions import csrf
from exchange.forms import show_refusal, status_for
from exchange.mail import forms, preferences

bp = Blueprint("mail", __name__)


@bp.route("/profile/notifications", methods=["GET", "POST"])
@login_required
def notification_settings():
    form = forms.preferences_form(preferences.preferences_of(current_user.id))
    if form.validate_on_submit():
        try:
            preferences.set_preferences(current_user, {kind: form[kind].data for kind in preferences.KINDS})
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash("Your email choices are saved.", "success")
            return redirect(url_for("mail.notification_settings"))
    return render_template("mail/preferences.html", form=form, kinds=preferences.KINDS,
                           verified=current_user.verified_at is not None), status_for(form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" with no session and no form token
def unsubscribe(token):
    if request.method == "POST":
        _, kinds = preferences.unsubscribe(token)
        return render_template("mail/unsubscribed.html", kinds=[preferences.KINDS[k] for k in kinds])
    _, what = preferences.read_unsubscribe(token)
    label = preferences.KINDS.get(what) or f"the {what} digest"
    return render_template("mail/unsubscribe.html", token=token, label=label)
