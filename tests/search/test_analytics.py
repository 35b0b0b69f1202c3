"""Every search is logged without who ran it; admins see top and zero-result queries."""
import sqlalchemy as sa

from exchange.db import db
from exchange.search.models import SearchLog


def _log(app):
    with app.app_context():
        return [(row.query, row.results) for row in db.session.scalars(sa.select(SearchLog).order_by(SearchLog.id))]


def test_each_search_is_logged_with_its_result_count_and_time(app, client, publish):
    publish(title="Bike lanes", body="Protected bike lanes.")
    client.get("/search?q=Bike+Lanes")
    client.get("/api/v1/search?q=zeppelins")
    assert _log(app) == [("bike lanes", 1), ("zeppelins", 0)]
    with app.app_context():
        row = db.session.scalars(sa.select(SearchLog)).first()
        assert row.took_ms >= 0 and row.created_at is not None
        assert not {"user_id", "ip", "user"} & set(SearchLog.__table__.columns.keys())


def test_browsing_and_later_pages_are_not_counted_as_searches(app, client, publish):
    publish(title="Bike lanes", body="Bikes.")
    client.get("/search")
    client.get("/search?tag=cycling")
    client.get("/search?q=bikes&page=2")
    assert _log(app) == []


def test_the_admin_page_lists_top_and_zero_result_queries(app, client, make, auth, publish):
    publish(title="Bike lanes", body="Bikes.")
    for text in ("bikes", "bikes", "BIKES", "hovercraft", "hovercraft", "jetpacks"):
        client.get("/search", query_string={"q": text})
    auth.login(make.admin())
    page = client.get("/admin/search").get_data(as_text=True)
    top = page.split('id="top-heading"')[1]
    zero = page.split('id="zero-heading"')[1].split('id="top-heading"')[0]
    assert "<td>3</td>" in top.split(">bikes</a>")[1].split("</tr>")[0]
    assert "hovercraft" in zero and "jetpacks" in zero and "bikes" not in zero
    assert zero.index("hovercraft") < zero.index("jetpacks")  # the most frequent first


def test_the_admin_page_is_403_for_members(client, make, auth):
    auth.login(make.user())
    assert client.get("/admin/search").status_code == 403


def test_the_admin_page_asks_visitors_to_sign_in(client):
    response = client.get("/admin/search")
    assert response.status_code in (302, 401)


def test_a_failing_log_never_fails_the_search(app, client, publish):
    publish(title="Bike lanes", body="Bikes.")
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE search_log RENAME TO search_log_away"))
    try:
        response = client.get("/api/v1/search?q=bikes")
        assert response.status_code == 200 and response.get_json()["total"] == 1
    finally:
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(sa.text("ALTER TABLE search_log_away RENAME TO search_log"))
