"""The upload and import forms (the field names are the API's)."""
from flask_wtf import FlaskForm
from wtforms import FileField, HiddenField, RadioField, StringField

from exchange.articles.models import KINDS


class UploadForm(FlaskForm):
    file = FileField("Image or document")
    alt = StringField("Describe the image (alt text)")
    article = HiddenField()


class ImportForm(FlaskForm):
    file = FileField("Word document (.docx)")
    kind = RadioField("Kind", choices=dict(KINDS), default="case_study")
