"""Admin forms: featuring a practice (agencies use accounts.forms.AgencyForm)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField


class FeatureForm(FlaskForm):
    slug = StringField("Practice or challenge", description="Its slug or address, e.g. /articles/open-data-api, "
                                                            "or a challenge's, e.g. /challenges/replying-about-bins")
    kind = HiddenField(default="practice")  # "challenge" when editing a challenge's feature
    note = TextAreaField("Why it is featured",
                         description="Shown with the practice on the home page; at most 280 characters.")
    position = StringField("Position", description="1 is first; leave empty to add it last.")
    until = StringField("Show until (optional)", description="The last day it is featured, e.g. 2026-12-31.")

    def target(self) -> tuple[str, str]:
        """(kind, slug): a challenge when its address was pasted (or its feature is edited), else a practice."""
        value = (self.slug.data or "").strip()
        if "/challenges/" in value or self.kind.data == "challenge":
            return "challenge", value.split("/challenges/", 1)[-1].strip("/").split("#")[0].split("?")[0]
        return "practice", self.article_slug()

    def article_slug(self) -> str:
        """The slug, also when an article's address was pasted."""
        value = (self.slug.data or "").strip()
        return value.split("/articles/", 1)[-1].strip("/").split("#")[0].split("?")[0]
