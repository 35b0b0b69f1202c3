"""The admin's form for a site page."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class PageForm(FlaskForm):
    title = StringField("Title")
    body = TextAreaField("Text (Markdown)")
