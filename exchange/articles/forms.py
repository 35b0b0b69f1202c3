"""The article form: field names are the API's (title, summary, body, tags, ...)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField

from exchange.articles.models import EDIT_POLICIES, EVIDENCE_LEVELS, KINDS, STAGES


class ArticleForm(FlaskForm):
    title = StringField("Title")
    kind = RadioField("Kind", choices=dict(KINDS), default="case_study")
    summary = TextAreaField("Summary")
    body = TextAreaField("Body (Markdown)")
    tags = StringField("Topics")
    evidence_level = SelectField(
        "Evidence level (case studies)",
        choices={"": "Not stated", **{str(k): f"{k}: {v}" for k, v in EVIDENCE_LEVELS.items()}},
        default="",
    )
    stage = SelectField("Stage", choices={"": "Not stated", **STAGES}, default="")
    edit_policy = RadioField("Who may edit", choices=dict(EDIT_POLICIES))
    review_by = StringField("Review by (YYYY-MM-DD)")
    based_on = StringField("Based on (optional)")
    change_note = StringField("What did you change? (optional)")
    base_revision = HiddenField()

    def article_fields(self) -> dict:
        """What the services take, straight from the form."""
        return {
            "title": self.title.data,
            "kind": self.kind.data,
            "summary": self.summary.data,
            "body": self.body.data or "",
            "tags": self.tags.data or "",
            "evidence_level": self.evidence_level.data,
            "stage": self.stage.data,
            "edit_policy": self.edit_policy.data,
            "review_by": self.review_by.data,
            "based_on": self.based_on.data or "",
        }

    def fill_from(self, article) -> None:
        """Start an edit from the article's current content."""
        self.title.data = article.title
        self.kind.data = article.kind
        self.summary.data = article.summary
        self.body.data = article.body
        self.tags.data = ", ".join(article.tag_names)
        self.evidence_level.data = str(article.evidence_level or "")
        self.stage.data = article.stage or ""
        self.edit_policy.data = article.edit_policy
        self.review_by.data = article.review_by.isoformat() if article.review_by else ""
        self.based_on.data = article.based_on.slug if article.based_on else ""
        self.base_revision.data = str(article.revision)


class WithdrawForm(FlaskForm):
    reason = TextAreaField("Why are you withdrawing it?")
