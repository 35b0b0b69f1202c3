"""The article form: field names are the API's (title, summary, body, tags, ...)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField

from exchange.articles import sections
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

    def resume_from(self, copy) -> None:
        """Carry on from an autosaved working copy, on the revision it started from."""
        self.title.data, self.summary.data, self.body.data = copy.title, copy.summary, copy.body
        self.tags.data = copy.tags
        self.base_revision.data = str(copy.base_revision)


class WithdrawForm(FlaskForm):
    reason = TextAreaField("Why are you withdrawing it?")


EDITORS = ("guided", "markdown")
PLAY_FIELDS = ("title", "why", "checklist", "questions")


def guided_fields(kind: str, formdata) -> sections.CaseStudy | sections.Playbook:
    """The guided form's fields as posted: ``section-N`` per template section, or ``play-N-...`` per play."""
    intro = formdata.get("intro", "")
    if kind != "playbook":
        return sections.CaseStudy(intro=intro, sections={
            heading: formdata.get(f"section-{number}", "")
            for number, heading in enumerate(sections.case_study_headings(), 1)})
    numbers = sorted({int(key.split("-")[1]) for key in formdata
                      if key.startswith("play-") and key.split("-")[1].isdigit() and len(key.split("-")[1]) < 4})
    return sections.Playbook(intro=intro, plays=[
        sections.Play(**{part: formdata.get(f"play-{number}-{part}", "") for part in PLAY_FIELDS})
        for number in numbers])


def rearrange(playbook: sections.Playbook, action: str) -> None:
    """Add a play (``add``), or move or remove play N (``up-N``, ``down-N``, ``remove-N``), counted from 1."""
    plays = playbook.plays
    if action == "add":
        plays.append(sections.Play())
        return
    verb, _, number = action.partition("-")
    at = int(number) - 1 if number.isdigit() and len(number) < 4 else -1
    if not 0 <= at < len(plays):
        return
    if verb == "remove":
        plays.pop(at)
    elif verb in ("up", "down"):
        other = at - 1 if verb == "up" else at + 1
        if 0 <= other < len(plays):
            plays[at], plays[other] = plays[other], plays[at]
