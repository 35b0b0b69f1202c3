"""Sign in and out, registration, profiles and API tokens."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from exchange.accounts import forms, services
from exchange.accounts.access import safe_next
from exchange.errors import DomainError
from exchange.extensions import limiter
from exchange.forms import show_refusal, status_for

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
def login():
    form = forms.LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            session.clear()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("site.home"))
    return render_template("accounts/login.html", form=form), status_for(form)


@bp.post("/logout")
@login_required
def logout():
    services.sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("site.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = forms.RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(form.email.data, form.name.data, form.password.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            session.clear()
            login_user(user)
            flash(f"Welcome to the Exchange, {user.name}. You joined as staff of {user.agency.name}.", "success")
            return redirect(url_for("site.home"))
    return render_template("accounts/register.html", form=form), status_for(form)


@bp.get("/people/<int:user_id>")
def person(user_id):
    user = services.get_user(user_id)
    return render_template("accounts/person.html", person=user)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = forms.ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, form.name.data, form.job_title.data, form.bio.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("accounts.profile"))
    return _settings_page(profile_form=form)


@bp.post("/profile/password")
@login_required
def change_password():
    form = forms.PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            login_user(current_user._get_current_object())  # keep this session, end the others
            flash("Your password is changed. Other devices are signed out.", "success")
            return redirect(url_for("accounts.profile"))
    return _settings_page(password_form=form)


@bp.post("/profile/tokens")
@login_required
def create_token():
    form = forms.TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _, secret = services.create_token(current_user, form.label.data)
        except DomainError as error:
            show_refusal(form, error)
    return _settings_page(token_form=form, new_secret=secret)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    token = services.revoke_token(current_user, token_id)
    flash(f"The token “{token.label}” is revoked.", "success")
    return redirect(url_for("accounts.profile") + "#tokens")


def _settings_page(profile_form=None, password_form=None, token_form=None, new_secret=None):
    page_forms = {
        "profile_form": profile_form or forms.ProfileForm(obj=current_user, formdata=None),
        "password_form": password_form or forms.PasswordForm(formdata=None),
        "token_form": token_form or forms.TokenForm(formdata=None),
    }
    failed = any(f.errors for f in page_forms.values())
    return render_template(
        "accounts/profile.html",
        tokens=services.list_tokens(current_user),
        new_secret=new_secret,
        **page_forms,
    ), 422 if failed else 200
