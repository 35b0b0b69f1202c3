"""The moderation queue in the admin area: pending comments and open flags."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from exchange.accounts.access import admin_required, safe_next
from exchange.community import moderation
from exchange.community.routes import bp


@bp.get("/admin/moderation")
@admin_required
def moderation_queue():
    return render_template("community/moderation.html", queue=moderation.queue(current_user))


@bp.post("/admin/moderation/comments/<int:comment_id>/<any(approve, hide, restore):action>")
@admin_required
def moderate_comment(comment_id, action):
    comment = moderation.get_comment(comment_id)
    verbs = {"approve": (moderation.approve_comment, "approved"), "hide": (moderation.hide_comment, "hidden"),
             "restore": (moderation.restore_comment, "restored")}
    act, done = verbs[action]
    act(current_user, comment)
    flash(f"The comment by {comment.author.name} is {done}.", "success")
    return _back()


@bp.post("/admin/moderation/flags/<int:flag_id>/<any(dismiss, archive):action>")
@admin_required
def handle_flag(flag_id, action):
    report = moderation.get_flag(flag_id)
    if action == "dismiss":
        moderation.dismiss_flag(current_user, report)
        flash("The flag is dismissed.", "success")
    else:
        article = moderation.archive_flagged_article(current_user, report)
        flash(f"“{article.title}” is archived.", "success")
    return _back()


def _back():
    return redirect(safe_next(request.form.get("next")) or url_for("community.moderation_queue"))
