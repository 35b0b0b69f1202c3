"""Community forms: field names are the API's (``body``, ``parent_id``, ``reason``, ``details``)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField

from exchange.community.models import FLAG_REASONS


class CommentForm(FlaskForm):
    body = TextAreaField("Your comment")
    parent_id = HiddenField()


class FlagForm(FlaskForm):
    # The service judges the choice, so a refusal reads the same in the page and the API.
    reason = RadioField("Why should a moderator look at this?", choices=dict(FLAG_REASONS),
                        validate_choice=False)
    details = TextAreaField("Details (optional, needed for “Something else”)")


class AskForm(FlaskForm):
    body = TextAreaField("Your question", id="ask-body")  # the article page also has the comment form's "body"
