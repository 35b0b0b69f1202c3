"""Who may see and edit an article: drafts are private to their agency, edit policies decide the rest."""
from exchange.errors import Forbidden, NotFound, Unauthorized


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_view(user, article) -> bool:
    """Published and archived articles are public; a draft only to its agency's staff and admins."""
    if article.status != "draft":
        return True
    return _signed_in(user) and (user.is_admin or user.agency_id == article.agency_id or user.id == article.author_id)


def can_edit(user, article) -> bool:
    """The edit policy: ``agency`` means its staff and admins, ``open`` any member."""
    if not _signed_in(user) or not can_view(user, article):
        return False
    if user.is_admin or user.agency_id == article.agency_id:
        return True
    return article.edit_policy == "open" and article.status == "published"


def require_member(user):
    """The acting person must be signed in."""
    if not _signed_in(user):
        raise Unauthorized("Sign in to do that.")
    return user


def require_edit(user, article) -> None:
    """Refuse an edit the policy does not allow (a hidden draft stays hidden: 404)."""
    require_member(user)
    if not can_view(user, article):
        raise NotFound("There is no article at this address.")
    if not can_edit(user, article):
        raise Forbidden(f"Only staff of {article.agency.name} and admins may edit this article.")
