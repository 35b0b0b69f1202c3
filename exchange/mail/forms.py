"""The email preferences form: one choice per kind of event."""
from flask_wtf import FlaskForm
from wtforms import RadioField

from exchange.mail.preferences import FREQUENCIES, KINDS


def preferences_form(current: dict[str, str]) -> FlaskForm:
    """A form with a radio group named after each kind (``following``, ``endorsements``, ...)."""

    class PreferencesForm(FlaskForm):
        pass

    for kind, label in KINDS.items():
        setattr(PreferencesForm, kind, RadioField(label, choices=dict(FREQUENCIES), default=current[kind]))
    return PreferencesForm()
