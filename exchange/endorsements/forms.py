"""The endorse-or-adopt form on an article page (field names as in the API)."""
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField

from exchange.endorsements.models import ADOPTION_STATUSES

CHOICES = {"endorse": "Endorse", "adopt": "Adopt"}
# What each choice commits you to, shown under it.
MEANINGS = {
    "endorse": "I have seen this work and recommend it. Counts 1 in its ranking, with your name and agency.",
    "adopt": "My agency now uses this practice. This speaks for your whole agency and is recorded on both "
             "agencies' pages. Counts 3 in its ranking.",
}


class EndorsementForm(FlaskForm):
    # No default: nothing is chosen for you. The service names a wrong or missing kind, like the API.
    kind = RadioField("Do you endorse it, or has your agency adopted it?", choices=CHOICES, default=None,
                      validate_choice=False)
    note = TextAreaField("Note (optional)")
    adopted_on = StringField("Adopted on (optional)")
    status = RadioField("How is it going? (optional)", choices=ADOPTION_STATUSES, default=None,
                        validate_choice=False)
    outcome = TextAreaField("Outcome (optional)")

    def story(self) -> dict:
        """The adoption story typed in (only read for an adoption)."""
        return {"adopted_on": self.adopted_on.data or "", "status": self.status.data or "",
                "outcome": self.outcome.data or ""}
