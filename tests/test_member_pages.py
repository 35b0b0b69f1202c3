"""Members' practice pages, kept by audience: a member is served what another member like them saw, with their
own header and form token; a reader tied to the practice, a flash or a change gets a page rendered for them."""
import re

import pytest

from exchange.impact import counter
from exchange.pagecache import CSRF_SLOT, NAV_SLOT, VERSIONS
from tests.conftest import PASSWORD
from tests.endorsements.helpers import counting_statements
from tests.impact.conftest import READER, endorse, views_of

TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")([^"]+)(")|(value=")([^"]+)("[^>]*name="csrf_token")')


def signed_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def page(client, path: str, **headers) -> str:
    response = client.get(path, headers={**READER, **headers})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert CSRF_SLOT not in text and NAV_SLOT not in text
    return text


def without_tokens(html: str) -> str:
    return TOKEN.sub(lambda m: (m[1] or m[4]) + "TOKEN" + (m[3] or m[6]), html)


def tokens(html: str) -> set[str]:
    return {m[2] or m[5] for m in TOKEN.finditer(html)}


@pytest.fixture
def practice(make):
    author = make.user(agency=make.agency(), name="Ada Author")
    return make.article(author=author, title="A kept practice", edit_policy="agency")


def test_a_member_is_served_what_a_member_like_them_saw_with_their_own_header(app, new_app, make, practice):
    agency = make.agency()
    first, second = make.user(agency=agency, name="First Reader"), make.user(agency=agency, name="Second Reader")
    path = f"/articles/{practice.slug}"
    reader, other = signed_in(app, second), signed_in(app, first)  # a sign-in is a change (the last sign-in)
    page(other, path)
    with counting_statements(app) as statements:
        kept = page(reader, path)
    queries = [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
    # the person, the data version, their ties to the practice, their unread count: nothing of the page itself
    assert len(queries) <= 4, queries
    assert "Second Reader" in kept and "First Reader" not in kept
    # The same page as one rendered for them with nothing kept, but for the form tokens' timestamps.
    fresh = page(signed_in(new_app(PAGE_CACHE_MB=0), second), path)
    assert without_tokens(kept) == without_tokens(fresh)
    assert len(tokens(kept)) == 1 and tokens(kept) != tokens(page(other, path))


def test_the_token_in_a_kept_page_is_the_readers_own(app, make, practice):
    agency = make.agency()
    first, second = make.user(agency=agency), make.user(agency=agency)
    path = f"/articles/{practice.slug}"
    reader, other = signed_in(app, second), signed_in(app, first)
    page(other, path)
    token = tokens(page(reader, path)).pop()
    posted = reader.post(f"/articles/{practice.slug}/comments", data={
        "csrf_token": token, "body": "We tried this in our region: the second round went better."})
    assert posted.status_code == 302
    assert "We tried this in our region" in page(reader, path)


@pytest.mark.parametrize("tie", ["endorsed", "follows", "commented"])
def test_a_reader_tied_to_the_practice_gets_their_own_page(app, make, practice, tie):
    agency = make.agency()
    untied, tied = make.user(agency=agency), make.user(agency=agency, name="Tied Reader")
    path = f"/articles/{practice.slug}"
    reader = signed_in(app, tied)
    if tie == "endorsed":
        endorse(app, tied, practice, kind="endorse", note="Worked for us.")
        mark = "Withdraw my endorsement"
    elif tie == "follows":
        token = tokens(page(reader, path)).pop()
        followed = reader.post(f"/follow/article/{practice.slug}", data={"csrf_token": token, "next": path})
        assert followed.status_code == 302
        page(reader, path)  # the flash "You follow ..." is shown once
        mark = "You follow this."
    else:
        token = tokens(page(reader, path)).pop()
        reader.post(f"/articles/{practice.slug}/comments", data={"csrf_token": token, "body": "Our own experience."})
        page(reader, path)
        mark = "Delete<span class=\"visually-hidden\"> your comment"
    assert mark not in page(signed_in(app, untied), path)  # kept for their audience, after the tie
    assert mark in page(reader, path)
    assert mark not in page(signed_in(app, untied), path)


def test_each_audience_sees_its_own_page(app, make, practice):
    """The practice's own agency may edit it and sees its reach; an admin may feature it; others neither.
    Everyone signs in first (a sign-in is a change): each page below is served or kept at one version."""
    from exchange.accounts.services import get_agency

    path = f"/articles/{practice.slug}"
    with app.app_context():
        own_agency = get_agency(practice.agency.slug)
    readers = {name: signed_in(app, user) for name, user in [
        ("others", make.user()), ("own", make.user(agency=own_agency)), ("admin", make.admin()),
        ("unverified", make.user(verified=False)), ("verified", make.user())]}
    seen = {name: page(client, path) for name, client in readers.items()}
    edit = f'href="/articles/{practice.slug}/edit"'
    assert edit not in seen["others"] and edit in seen["own"] and edit in seen["admin"]
    assert "Feature this practice" in seen["admin"] and "Feature this practice" not in seen["own"] + seen["others"]
    assert "Confirm your email address first" in seen["unverified"]
    assert "Confirm your email address first" not in seen["verified"]


def test_a_flash_is_shown_to_its_reader_and_never_kept(app, make, practice):
    agency = make.agency()
    path = f"/articles/{practice.slug}"
    reader, other = signed_in(app, make.user(agency=agency)), signed_in(app, make.user(agency=agency))
    token = tokens(page(reader, path)).pop()
    followed = reader.post(f"/follow/agency/{practice.agency.slug}", data={"csrf_token": token, "next": path})
    assert followed.status_code == 302
    flashed = page(reader, path)
    message = re.search(r'<p class="flash flash-\w+">([^<]+)</p>', flashed)[1]
    assert message not in page(other, path)
    assert message not in page(reader, path)  # shown once


def test_a_change_is_seen_by_members_at_once(app, make, practice):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article, update_article

    reader = signed_in(app, make.user())
    path = f"/articles/{practice.slug}"
    assert "A kept practice" in page(reader, path)
    with app.app_context():
        author = get_user(practice.author_id)
        current = get_article(author, practice.slug)
        update_article(author, current, {"title": "A changed practice"}, current.revision, "")
    assert "A changed practice" in page(reader, path)


def test_views_from_kept_pages_count_as_rendered_ones_do(app, make, practice):
    """A kept page is still a view; the owning agency's own views are not counted, kept page or not."""
    from exchange.accounts.services import get_agency

    with app.app_context():
        own_agency = get_agency(practice.agency.slug)
    path = f"/articles/{practice.slug}"
    own = [signed_in(app, make.user(agency=own_agency)), signed_in(app, make.user(agency=own_agency))]
    other = signed_in(app, make.user())
    for client in own:
        page(client, path)
        page(client, path)
    counter.flush(app)
    assert views_of(app, practice.slug) == 0
    page(other, path)
    page(other, path)
    counter.flush(app)
    assert views_of(app, practice.slug) == 2


def test_pages_not_kept_for_an_audience_have_no_empty_places(app, make, practice):
    """A draft, an unknown address and a page no audience is named for are rendered for their reader."""
    from exchange.accounts.services import get_agency

    with app.app_context():
        agency = get_agency(practice.agency.slug)
    member = make.user(agency=agency)
    draft = make.article(author=member, title="Still a draft", status="draft")
    reader = signed_in(app, member)
    assert "Still a draft" in page(reader, f"/articles/{draft.slug}")
    missing = reader.get("/articles/no-such-practice")
    assert missing.status_code == 404
    assert CSRF_SLOT.encode() not in missing.data and NAV_SLOT.encode() not in missing.data
    page(reader, "/tags")


def test_a_kept_page_is_never_served_past_the_access_hooks(app, make, practice):
    """A person whose password someone else saw changes it first, even for a page kept for their audience."""
    import sqlalchemy as sa

    from exchange.accounts.models import User
    from exchange.db import db

    agency = make.agency()
    path = f"/articles/{practice.slug}"
    told, other = make.user(agency=agency), make.user(agency=agency)
    reader, keeper = signed_in(app, told), signed_in(app, other)
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == told.id).values(must_change_password=True))
        db.session.commit()
    page(keeper, path)
    response = reader.get(path)
    assert response.status_code == 302 and "/profile" in response.headers["Location"]


def test_a_members_home_is_kept_for_them_alone(app, make):
    """The home page holds the person's own dashboard and drafts: kept per person, never served to another."""
    agency = make.agency()
    first, second = make.user(agency=agency, name="First Reader"), make.user(agency=agency, name="Second Reader")
    make.article(author=first, title="Draft of the first", status="draft")
    make.article(author=second, title="Draft of the second", status="draft")
    one, two = signed_in(app, first), signed_in(app, second)
    assert "Draft of the first" in page(one, "/")
    with counting_statements(app) as statements:
        kept = page(one, "/")
    assert "Draft of the first" in kept
    # The person, their unread count and the page are kept in the worker: only the data version is read.
    assert [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")] == [VERSIONS]
    other = page(two, "/")
    assert "Draft of the second" in other and "Draft of the first" not in other and "First Reader" not in other


def test_lists_and_topics_are_kept_for_members_but_a_follower_sees_their_own(app, make):
    agency = make.agency()
    make.article(title="Open data portal", tags="open-data")
    first, second = make.user(agency=agency, name="First Reader"), make.user(agency=agency, name="Second Reader")
    follower = signed_in(app, make.user(agency=agency, name="Follows Topics"))
    one, two = signed_in(app, first), signed_in(app, second)
    token = tokens(page(follower, "/tags/open-data")).pop()
    assert follower.post("/follow/tag/open-data", data={"csrf_token": token}).status_code == 302
    page(follower, "/tags/open-data")  # its flash, once
    for path in ("/case-studies", "/tags/open-data"):
        assert "Open data portal" in page(one, path)
        with counting_statements(app) as statements:
            kept = page(two, path)
        assert len([s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")]) <= 4, path
        assert "Second Reader" in kept and "First Reader" not in kept and "Open data portal" in kept
    assert "You follow this." not in page(two, "/tags/open-data")
    assert "You follow this." in page(follower, "/tags/open-data")


def test_a_members_repeat_reading_reads_only_the_data_version(app, make, practice):
    path = f"/articles/{practice.slug}"
    reader = signed_in(app, make.user(agency=make.agency(), name="Rita Reader"))
    first = page(reader, path)
    with counting_statements(app) as statements:
        again = page(reader, path)
    assert [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")] == [VERSIONS]
    assert without_tokens(again) == without_tokens(first) and "Rita Reader" in again


@pytest.mark.parametrize("change", [{"active": False}, {"session_token": "rotated-elsewhere"}])
def test_a_kept_person_is_signed_out_at_once_by_a_change_made_elsewhere(app, make, practice, change):
    """The worker's copy of a person lasts while the data version holds: deactivating them, or ending their
    sessions, from any connection (another server, a script on the database) takes effect on the next request."""
    import sqlalchemy as sa

    path = f"/articles/{practice.slug}"
    user = make.user(agency=make.agency(), name="Soon Gone")
    reader = signed_in(app, user)
    page(reader, path)
    assert "Soon Gone" in page(reader, path)
    engine = app.extensions["exchange.db"].kw["bind"]
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE users SET " + ", ".join(f"{k} = :{k}" for k in change) + " WHERE id = :id"),
                           {**change, "id": user.id})
    after = reader.get(path)
    assert "Soon Gone" not in after.get_data(as_text=True) and b"Sign out" not in after.data


def test_the_kept_header_follows_the_reader_their_name_and_the_page(app, make, practice):
    """Each worker keeps a reader's header (their name, count and links) with the token's place empty."""
    path = f"/articles/{practice.slug}"
    user = make.user(agency=make.agency(), name="Nora Name")
    reader = signed_in(app, user)
    for _ in range(2):
        assert "Nora Name" in page(reader, path) and 'aria-current="page">Notifications' not in page(reader, path)
    assert 'aria-current="page">Notifications' in page(reader, "/notifications")
    profile = page(reader, "/profile")
    form = {"csrf_token": tokens(profile).pop(), "name": "Nora Renamed"}
    reader.post("/profile", data=form)
    after = page(reader, path)
    assert "Nora Renamed" in after and "Nora Name" not in after
    other = page(signed_in(app, make.user(agency=make.agency(), name="Otto Other")), path)
    assert "Otto Other" in other and "Nora" not in other
