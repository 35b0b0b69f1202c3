"""Sign in and out, registration, profiles and API tokens."""
from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from exchange.accounts import forms, invitations, links, mfa, services, sessions, sso
from exchange.errors import DomainError
from exchange.extensions import limiter
from exchange.forms import show_refusal, status_for
from exchange.permissions import recent_auth_required
from exchange.templating import page_parts
from exchange.urls import safe_next

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
            sso.check_password_allowed(email=form.email.data)
            user = services.authenticate(form.email.data, form.password.data)
            sso.check_password_allowed(user=user)
        except DomainError as error:
            form.form_errors.append(error.message)
            return _login_page(form), max(error.status, status_for(form))
        else:
            return _after_password(user, form.remember.data, safe_next(request.args.get("next")))
    return _login_page(form), status_for(form)


# Sign-in with the agency's own account (OpenID Connect; exchange/accounts/sso.py) ---------------

def _login_page(form):
    """The sign-in page, with a "Sign in with <agency>" button for each agency that has its own sign-in."""
    suggested = sso.sign_on_for_email(form.email.data)
    return render_template("accounts/login.html", form=form, suggested=suggested,
                           sign_ons=[each for each in sso.list_sign_ons() if each is not suggested],
                           sso_next=safe_next(request.args.get("next")))


def _sso_callback_url(slug: str) -> str:
    return url_for("accounts.sso_callback", slug=slug, _external=True)


@bp.get("/login/sso/<slug>")
def sso_start(slug):
    hint = request.args.get("email", "")
    confirming = current_user._get_current_object() if request.args.get("confirm") and current_user.is_authenticated \
        else None
    try:
        url, kept = sso.begin(sso.get_sign_on(slug), _sso_callback_url(slug), hint if "@" in hint[:254] else "",
                              confirming)
    except DomainError as error:
        return _refused_login(error)
    session["sso"] = {**kept, "next": safe_next(request.args.get("next"))}
    return redirect(url)


@bp.get("/login/sso/<slug>/callback")
@limiter.limit(_login_limit, deduct_when=_failed)
def sso_callback(slug):
    kept = session.pop("sso", None)  # one answer per request made: a second use of the link starts again
    try:
        user = sso.finish(sso.get_sign_on(slug), kept, request.args.to_dict(), _sso_callback_url(slug))
    except DomainError as error:
        return _refused_login(error)
    if kept.get("confirming"):
        sessions.confirm(second_factor=session.get("second_factor", False))
        return redirect(kept.get("next") or url_for("accounts.profile"))
    return _after_password(user, False, kept.get("next"))


def _refused_login(error: DomainError):
    form = forms.LoginForm(formdata=None)
    form.form_errors.append(error.message)
    return _login_page(form), error.status


def _after_password(user, remember: bool, target: str | None):
    """Sign in now, or first ask for (or set up) the second factor."""
    if not mfa.required(user):
        sessions.start(user, remember)
        return redirect(target or url_for("site.home"))
    session.clear()
    session["mfa_user"], session["mfa_remember"], session["mfa_next"] = user.get_id(), bool(remember), target
    return redirect(url_for("accounts.mfa_code" if user.mfa_secret else "accounts.mfa_setup"))


def _pending_user():
    return sessions.load_pending(session.get("mfa_user", ""))


def _finish_mfa_sign_in(user):
    remember, target = session.get("mfa_remember", False), session.get("mfa_next")
    sessions.start(user, remember, second_factor=True)
    return target


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
def mfa_code():
    user = _pending_user()
    if user is None or not user.mfa_secret:
        return redirect(url_for("accounts.login"))
    form = forms.CodeForm()
    if form.validate_on_submit():
        if session.get("mfa_failures", 0) >= mfa.PENDING_FAILURES:
            session.clear()
            flash("Too many wrong codes. Sign in again with your password.", "error")
            return redirect(url_for("accounts.login"))
        try:
            if mfa.verify(user, form.code.data):
                return redirect(_finish_mfa_sign_in(user) or url_for("site.home"))
        except mfa.TooManyWrongCodes as error:
            form.code.errors = [error.message]
            return render_template("accounts/mfa_code.html", form=form), error.status
        session["mfa_failures"] = session.get("mfa_failures", 0) + 1
        form.code.errors = ["That code is not right, or was used already. Enter the newest code."]
    return render_template("accounts/mfa_code.html", form=form), status_for(form)


@bp.route("/login/setup", methods=["GET", "POST"])
def mfa_setup():
    """Set up an authenticator: during an admin's first sign-in, or from your profile (with the password)."""
    pending = _pending_user()
    user = pending or (current_user._get_current_object() if current_user.is_authenticated else None)
    if user is None:
        return redirect(url_for("accounts.login"))
    if user.mfa_secret:
        return redirect(url_for("accounts.profile"))
    secret = session.setdefault("mfa_setup_secret", mfa.new_secret())
    form = forms.SetupForm()
    if form.validate_on_submit():
        try:
            if pending is None:
                mfa.check_password(user, form.password.data)
            codes = mfa.enable(user, secret, form.code.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            session.pop("mfa_setup_secret", None)
            target = _finish_mfa_sign_in(user) if pending else None
            if pending is None:
                sessions.confirm(second_factor=True)
            return _no_store(render_template("accounts/mfa_recovery.html", codes=codes,
                                             target=target or url_for("site.home")))
    uri = mfa.provisioning_uri(user, secret)
    page = render_template("accounts/mfa_setup.html", form=form, secret=secret, qr=mfa.qr_svg(uri),
                           required=mfa.required(user), ask_password=pending is None)
    return _no_store(page, status_for(form))


def _no_store(page, status=200):
    """Pages that show a secret (the authenticator's key, recovery codes) are never kept by a cache."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/profile/mfa/disable")
@login_required
@recent_auth_required
def mfa_disable():
    form = forms.DisableMfaForm()
    if form.validate_on_submit():
        try:
            mfa.disable(current_user._get_current_object(), form.password.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            sessions.start(current_user._get_current_object())
            flash("Two-step sign-in is off.", "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/login/confirm", methods=["GET", "POST"])
@login_required
def confirm():
    """Re-enter the password (and code) before a sensitive action."""
    form = forms.ConfirmPasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            services.confirm_password(user, form.password.data)
        except DomainError as error:
            show_refusal(form, error)
            return _confirm_page(form, user), error.status
        if user.mfa_secret and not _code_ok(user, form):
            pass
        else:
            sessions.confirm(second_factor=bool(user.mfa_secret))
            return redirect(safe_next(request.args.get("next")) or url_for("accounts.profile"))
    return _confirm_page(form, user), status_for(form)


def _confirm_page(form, user):
    return render_template("accounts/confirm.html", form=form, needs_code=bool(user.mfa_secret),
                           has_password=bool(user.password_hash), sign_on=sso.sign_on_of_user(user),
                           confirm_next=safe_next(request.args.get("next")))


def _code_ok(user, form) -> bool:
    try:
        if mfa.verify(user, form.code.data):
            return True
        form.code.errors = ["That code is not right, or was used already."]
    except mfa.TooManyWrongCodes as error:
        form.code.errors = [error.message]
    return False


@bp.post("/logout")
@login_required
def logout():
    services.sign_out(current_user._get_current_object())
    sessions.end()
    flash("You are signed out.", "success")
    return redirect(url_for("site.home"))


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _register_address_limit() -> str:
    return current_app.config["REGISTER_ADDRESS_RATE_LIMIT"]


def _registering_address() -> str:
    return "register:" + (request.form.get("email") or "").strip().lower()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
@limiter.limit(_register_address_limit, methods=["POST"], key_func=_registering_address)
def register():
    form = forms.RegisterForm()
    if form.validate_on_submit():
        try:
            services.register(form.email.data, form.name.data, form.password.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            # The same answer whether the address was new or had an account: registering tells no one who has one.
            flash("Thank you. We sent an email to that address. If it is new here, its account is ready: sign in "
                  "with the password you chose, and follow the link in the email to confirm the address. If it "
                  "already had an account, the email says so; sign in with that account's password.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form), status_for(form)


@bp.get("/people/<int:user_id>")
def person(user_id):
    user = services.get_user(user_id)
    return render_template("accounts/person.html", person=user, **page_parts("person", user))


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
@recent_auth_required
def change_password():
    form = forms.PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data,
                                     revoke_tokens=form.revoke_tokens.data)
        except DomainError as error:
            show_refusal(form, error)
            page, status = _settings_page(password_form=form)
            return page, max(status, error.status)
        else:
            second_factor = session.get("second_factor", False)
            sessions.start(current_user._get_current_object(), second_factor=second_factor)  # end the others
            tokens = " Your API tokens are revoked." if form.revoke_tokens.data else ""
            flash(f"Your password is changed. Other devices are signed out.{tokens}", "success")
            return redirect(url_for("accounts.profile"))
    return _settings_page(password_form=form)


@bp.post("/profile/tokens")
@login_required
@recent_auth_required
def create_token():
    form = forms.TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _, secret = services.create_token(current_user, form.label.data,
                                              second_factor=session.get("second_factor", False))
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
        now=services.utcnow(),
        mfa_on=bool(current_user.mfa_secret),
        mfa_required=mfa.required(current_user),
        recovery_left=mfa.recovery_left(current_user),
        disable_form=forms.DisableMfaForm(formdata=None),
        new_secret=new_secret,
        **page_forms,
        **page_parts("profile", current_user),
    ), 422 if failed else 200


# Verified addresses, password reset and invitations (#15) -----------------------------------------------

def _resend_limit() -> str:
    return current_app.config["VERIFY_RESEND_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def _signed_in_person() -> str:
    return f"verify-resend:{current_user.get_id() if current_user.is_authenticated else request.remote_addr}"


def _reset_address() -> str:
    return "reset-address:" + (request.form.get("email") or "").strip().lower()


def _reset_account() -> str:
    """Every spelling of one mailbox (``alice+x@``) counts against the same account."""
    return "reset-account:" + services.mailbox((request.form.get("email") or "").strip().lower())


@bp.get("/verify/<token>")
def verify(token):
    links.verify(token)
    flash("Thank you: your address is confirmed.", "success")
    return redirect(url_for("accounts.profile" if current_user.is_authenticated else "accounts.login"))


@bp.post("/verify/resend")
@login_required
@limiter.limit(_resend_limit, key_func=_signed_in_person)
def resend_verification():
    try:
        links.resend_verification(current_user._get_current_object(), current_user._get_current_object())
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"We sent a new link to {current_user.email}. It works for "
              f"{current_app.config['VERIFY_HOURS']} hours.", "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_reset_address)
@limiter.limit(_reset_limit, methods=["POST"], key_func=_reset_account)
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            links.request_reset(form.email.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            # The same answer whether or not the address has an account.
            flash("If an account uses that address, we sent it a link to choose a new password. It works for "
                  f"{current_app.config['RESET_MINUTES']} minutes.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form), status_for(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = links.check_reset(token)
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        try:
            links.reset_password(token, form.password.data, form.password_confirm.data,
                                     revoke_tokens=not form.keep_tokens.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            sessions.end()
            flash("Your password is changed and you are signed out everywhere. Sign in with the new password.",
                  "success")
            return redirect(url_for("accounts.login"))
    page = render_template("accounts/reset_password.html", form=form, person=user)
    return _no_store(page, status_for(form))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    invitation = invitations.find(token)
    form = forms.AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(token, form.name.data, form.password.data, form.password_confirm.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            sessions.start(user)
            flash(f"Welcome to {user.agency.name} on the Exchange.", "success")
            return redirect(url_for("site.home"))
    page = render_template("accounts/accept_invitation.html", form=form, invitation=invitation)
    return _no_store(page, status_for(form))


@bp.route("/invitations", methods=["GET", "POST"])
@login_required
def invitations_page():
    actor = current_user._get_current_object()
    agencies = [a for a in services.list_agencies() if invitations.may_invite(actor, a)]
    form = forms.InviteForm()
    form.agency.choices = {a.slug: a.name for a in agencies}
    if request.method == "GET" and actor.agency.slug in form.agency.choices:
        form.agency.data = actor.agency.slug  # their own agency first
    if form.validate_on_submit():
        try:
            invitation = invitations.invite(actor, form.email.data, services.get_agency(form.agency.data or ""))
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(f"Invitation sent to {invitation.email}.", "success")
            return redirect(url_for("accounts.invitations_page"))
    return render_template("accounts/invitations.html", form=form, may_invite=bool(agencies),
                           pending=invitations.pending(actor)), status_for(form)


@bp.post("/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id):
    invitation = invitations.revoke(current_user._get_current_object(), invitation_id)
    flash(f"The invitation to {invitation.email} is revoked.", "success")
    return redirect(url_for("accounts.invitations_page"))
