"""Challenge forms: field names are the API's (``title``, ``problem``, ``tags``, ``deadline``, ``practice``...)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField


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


class CloseForm(FlaskForm):
    outcome = TextAreaField("What you did in the end")
