"""Every page type of the site, with an address in the shared world and who looks at it.

The accessibility checks, the CSP check and the HTML validator all walk this one list, so a new
page type is checked everywhere once it is added here.
"""
from dataclasses import dataclass

from tests.e2e.world import World

# A member is the author (staff of the owning agency); "other" is staff of another agency.
VISITOR, MEMBER, OTHER, ADMIN = "visitor", "member", "other", "admin"
EVERYONE = (VISITOR, MEMBER, ADMIN)
SIGNED_IN = (MEMBER, ADMIN)
SITE_PAGES = ("/about", "/about/how-it-works", "/about/comment-rules", "/about/accessibility", "/about/privacy",
              "/about/contact")


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    roles: tuple = EVERYONE
    status: int = 200


def page_types(world: World, admin_paths: list[str]) -> list[PageType]:
    """The page types; ``admin_paths`` are the admin area's pages (every GET /admin route without arguments)."""
    case, play = f"/articles/{world.case_study}", f"/articles/{world.playbook}"
    pages = [
        PageType("home", "/"),
        PageType("case study", case, (VISITOR, MEMBER, OTHER, ADMIN)),
        PageType("playbook", play),
        PageType("draft", f"/articles/{world.draft}", (MEMBER, ADMIN)),
        PageType("archived article", f"/articles/{world.archived}"),
        PageType("case studies list", "/case-studies"),
        PageType("playbooks list", "/playbooks"),
        PageType("tags index", "/tags"),
        PageType("tag", f"/tags/{world.tag}"),
        PageType("agencies index", "/agencies"),
        PageType("agency", f"/agencies/{world.agency}"),
        PageType("agency impact", f"/agencies/{world.agency}/impact", (VISITOR, MEMBER, OTHER, ADMIN)),
        PageType("site impact", "/impact"),
        PageType("my dashboard", "/me", (MEMBER, OTHER, ADMIN)),
        PageType("person", f"/people/{world.author.id}"),
        PageType("search results", "/search?q=social+media"),
        PageType("search with facets", "/search?q=social&kind=case_study&tag=social-media&sort=newest"),
        PageType("search without results", "/search?q=zzyzxqwv"),
        PageType("search run corrected", "/search?q=opne+data"),
        PageType("search help", "/search/help"),
        PageType("how ranking works", "/about/ranking"),
        PageType("print view", f"{case}/print"),
        PageType("topic updates", f"/tags/{world.tag}/updates", (VISITOR, MEMBER, OTHER, ADMIN)),
        PageType("agency updates", f"/agencies/{world.agency}/updates"),
        PageType("practice updates", f"{case}/updates", (VISITOR, OTHER)),
        PageType("ask the team", f"{case}/ask", (OTHER,)),
        PageType("history", f"{case}/history"),
        PageType("diff", f"{case}/diff?from=1&to=2"),
        PageType("challenges", "/challenges"),
        PageType("challenge", f"/challenges/{world.challenge}", (VISITOR, MEMBER, OTHER, ADMIN)),
        PageType("draft challenge", f"/challenges/{world.draft_challenge}", (MEMBER, ADMIN)),
        PageType("new challenge", "/challenges/new", (MEMBER,)),
        PageType("edit challenge", f"/challenges/{world.challenge}/edit", (MEMBER,)),
        PageType("not found", "/no-such-page", status=404),
        PageType("missing article", "/articles/chatbots-for-council-tax-2019", status=404),
        PageType("edit refused", f"{case}/edit", (OTHER,), 403),
        *(PageType(f"site page {path}", path) for path in SITE_PAGES),
        PageType("agency feedback", f"/agencies/{world.agency}/feedback", (MEMBER, ADMIN)),
        PageType("sign in", "/login", (VISITOR,)),
        PageType("register", "/register", (VISITOR,)),
        PageType("profile", "/profile", SIGNED_IN),
        PageType("forgot password", "/password/forgot", (VISITOR,)),
        PageType("email notifications", "/profile/notifications", SIGNED_IN),
        PageType("invitations", "/invitations", SIGNED_IN),
        PageType("notifications", "/notifications", SIGNED_IN),
        PageType("new article", "/articles/new", SIGNED_IN),
        PageType("new playbook", "/articles/new?kind=playbook", (MEMBER,)),
        PageType("edit article", f"{case}/edit", SIGNED_IN),
        PageType("import a Word document", "/articles/import", SIGNED_IN),
        PageType("report article", f"{case}/flag", (MEMBER,)),
        PageType("edit comment", f"/comments/{world.comment}/edit", (OTHER,)),
        PageType("report comment", f"/comments/{world.comment}/flag", (MEMBER,)),
        PageType("confirm password", "/login/confirm", (MEMBER,)),
        PageType("set up two-step sign-in", "/login/setup", (MEMBER,)),
        PageType("admin area refused", admin_paths[0] if admin_paths else "/admin/moderation", (MEMBER,), 403),
    ]
    pages += [PageType(f"admin {path}", path, (ADMIN,)) for path in admin_paths]
    pages += [PageType("admin agency edit", f"/admin/agencies/{world.agency}/edit", (ADMIN,)),
              PageType("admin site page edit", "/admin/pages/accessibility", (ADMIN,)),
              PageType("admin people search", "/admin/people?q=ana", (ADMIN,)),
              PageType("admin people filtered", f"/admin/people?agency={world.agency}&role=member", (ADMIN,)),
              PageType("admin deactivate", f"/admin/people/{world.other.id}/deactivate", (ADMIN,))]
    return pages


def admin_paths(app) -> list[str]:
    """Every page of the admin area that takes no argument."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if rule.rule.startswith("/admin") and "GET" in rule.methods and not rule.arguments})


def for_role(pages: list[PageType], role: str) -> list[PageType]:
    """The pages ``role`` looks at."""
    return [page for page in pages if role in page.roles]


def person_for(world: World, role: str):
    """Who plays ``role`` (None for a visitor)."""
    return {VISITOR: None, MEMBER: world.author, OTHER: world.other, ADMIN: world.admin}[role]
