"""The endorse-or-adopt form on an article page (field names as in the API)."""
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField

CHOICES = {"endorse": "I endorse this practice", "adopt": "My agency has adopted it"}


class EndorsementForm(FlaskForm):
    kind = RadioField("Your endorsement", choices=CHOICES, default="endorse",
                      validate_choice=False)  # the service names a wrong kind, like the API
    note = TextAreaField("Note (optional)")
