"""Admin forms: featuring a practice (agencies use accounts.forms.AgencyForm)."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class FeatureForm(FlaskForm):
    slug = StringField("Article", description="Its slug or address, e.g. /articles/open-data-api")
    note = TextAreaField("Why it is featured",
                         description="Shown with the practice on the home page; at most 280 characters.")
    position = StringField("Position", description="1 is first; leave empty to add it last.")
    until = StringField("Show until (optional)", description="The last day it is featured, e.g. 2026-12-31.")

    def article_slug(self) -> str:
        """The slug, also when an article's address was pasted."""
        value = (self.slug.data or "").strip()
        return value.split("/articles/", 1)[-1].strip("/").split("#")[0].split("?")[0]
