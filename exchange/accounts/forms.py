"""Forms for signing in, registering, profiles and tokens (CSRF by Flask-WTF)."""
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from exchange.accounts.models import LEVELS


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in on this device")


class RegisterForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter your name."), Length(max=120)])
    email = EmailField("Work email", validators=[DataRequired("Enter your work email address.")])
    password = PasswordField("Password", validators=[DataRequired("Choose a password.")])


class ProfileForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter your name."), Length(max=120)])
    job_title = StringField("Job title", validators=[Length(max=120)])
    bio = TextAreaField("About you", validators=[Length(max=2000)])


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    new_password = PasswordField("New password", validators=[DataRequired("Choose a new password.")])
    revoke_tokens = BooleanField("Also revoke my API tokens", default=True)


class TokenForm(FlaskForm):
    label = StringField("What is this token for?", validators=[Length(max=80)])


class AgencyForm(FlaskForm):
    slug = StringField("Slug", validators=[Length(max=80)])
    name = StringField("Name", validators=[DataRequired("Enter the agency's name."), Length(max=200)])
    acronym = StringField("Acronym", validators=[Length(max=20)])
    level = SelectField("Level of government", choices={level: level.capitalize() for level in LEVELS})
    country = StringField("Country (two-letter code)", validators=[Length(max=2)])
    domains = TextAreaField("Email domains, one per line")


class CodeForm(FlaskForm):
    code = StringField("Code from your authenticator app, or a recovery code",
                       validators=[DataRequired("Enter the 6-digit code.")])


class SetupForm(CodeForm):
    password = PasswordField("Your password")  # asked when enrolling from the profile


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    code = StringField("Code from your authenticator app")


class DisableMfaForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address.")])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Choose a new password.")])
    password_confirm = PasswordField("New password again", validators=[DataRequired("Type the new password again.")])
    # API tokens are revoked unless asked otherwise: a form posting only the two passwords revokes them.
    keep_tokens = BooleanField("Keep my API tokens working")


class AcceptInvitationForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter your name."), Length(max=120)])
    password = PasswordField("Password", validators=[DataRequired("Choose a password.")])
    password_confirm = PasswordField("Password again", validators=[DataRequired("Type the password again.")])


class InviteForm(FlaskForm):
    email = EmailField("Their email", validators=[DataRequired("Enter the address to invite.")])
    agency = SelectField("Agency", choices=[], validate_choice=False)
