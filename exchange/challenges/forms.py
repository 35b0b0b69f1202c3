"""Challenge forms: field names are the API's (``title``, ``problem``, ``tags``, ``deadline``, ``practice``...)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField

from exchange.endorsements.models import ADOPTION_STATUSES


class ChallengeForm(FlaskForm):
    title = StringField("Title: the problem in one line")
    problem = TextAreaField("The problem")
    tags = StringField("Topics (separated by commas)")
    deadline = StringField("Deadline (optional, a date like 2027-03-31)")


class AnswerForm(FlaskForm):
    practice = StringField("The practice that answers it (its address or slug)")
    note = TextAreaField("How it applies to this challenge")
    draft_title = StringField("Or start a new case study: its title")


class HelpedForm(FlaskForm):
    why = StringField("Why it helped you (one sentence)")
    adopt = BooleanField("We adopted this practice: record an adoption on it")
    # The adoption story (as on the practice's adopt form), read only with adopt.
    adopted_on = StringField("Adopted on (optional)")
    status = RadioField("How is it going? (optional)", choices=ADOPTION_STATUSES, default=None,
                        validate_choice=False)
    outcome = TextAreaField("Outcome (optional)")

    def for_answer(self, answer_id: int) -> "HelpedForm":
        """Each answer has its own form on the page: its fields' ids end with the answer's id
        (``why-7``), so the error summary's links reach them."""
        for item in self:
            if item.type != "CSRFTokenField":
                item.id = item.label.field_id = f"{item.name}-{answer_id}"
        return self

    def story(self) -> dict:
        """The adoption story typed in (only read with adopt)."""
        return {"adopted_on": self.adopted_on.data or "", "status": self.status.data or "",
                "outcome": self.outcome.data or ""}


class CloseForm(FlaskForm):
    outcome = TextAreaField("What you did in the end")
