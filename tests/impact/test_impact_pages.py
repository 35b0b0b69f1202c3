"""The dashboard, agency impact pages, the site's impact page, their charts, export and API."""
import csv
import io
import re
import xml.etree.ElementTree as ET

from exchange.impact import counter
from tests.conftest import bearer
from tests.impact.conftest import READER, archive, endorse

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG of a page, parsed as XML (a chart that is not well-formed fails here)."""
    return [ET.fromstring(match) for match in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def charts(html: str) -> list[ET.Element]:
    return [svg for svg in svgs(html) if "chart" in svg.get("class", "")]


def assert_accessible_chart(svg: ET.Element) -> None:
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def world(app, make):
    """Two agencies: Northfield shares a practice (and has a draft and a withdrawn one); Southport adopts."""
    north = make.agency("northfield", name="Northfield Council")
    south = make.agency("southport", name="Southport <Board>")
    author, colleague = make.user(agency=north, name="Ana Author"), make.user(agency=north)
    reader = make.user(agency=south)
    shared = make.article(author=author, title="Answering residents in an hour", tags=["chatbot", "social media"])
    draft = make.article(author=author, title="Secret chatbot pilot", status="draft")
    gone = make.article(author=author, title="Fax-back forms")
    endorse(app, reader, shared, "adopt", "We adopted the reply templates.")
    endorse(app, colleague, shared, "endorse")  # the owning agency's own support is not impact
    endorse(app, reader, gone, "adopt")
    archive(app, make.admin(), gone)
    return north, south, author, reader, shared, draft, gone


def login(app, person):
    client = app.test_client()
    assert client.post("/login", data={"email": person.email, "password": "correct horse battery staple"}
                       ).status_code == 302
    return client


def test_my_dashboard_shows_my_practices_adoptions_drafts_and_unmet_searches(app, make):
    from exchange.search.analytics import log_search

    north, south, author, reader, shared, draft, gone = world(app, make)
    login(app, reader).get(f"/articles/{shared.slug}", headers=READER)
    counter.flush(app)
    with app.app_context():
        for _ in range(12):
            log_search("Chatbot procurement", 0, 3)
        log_search("chatbot procurement", 4, 3)  # found something: not unmet
        log_search("tractor licensing", 0, 3)  # nothing to do with my topics
    page = login(app, author).get("/me").get_data(as_text=True)
    practices = page.split('id="practices-title"')[1].split("</section>")[0]
    assert "Answering residents in an hour" in practices
    assert "Secret chatbot pilot" not in practices and "Fax-back forms" not in practices
    assert re.search(r'data-label="Views">1 / 1<', practices)
    assert re.search(r'data-label="Endorsed">0 / 0<', practices)  # the colleague's endorsement is not counted
    assert re.search(r'data-label="Adopted">1 / 1<', practices)
    assert "Southport &lt;Board&gt;</strong> adopted" in page and "We adopted the reply templates." in page
    assert "12 searches for “chatbot procurement” found nothing" in page
    assert "tractor" not in page
    assert "Secret chatbot pilot" in page.split('id="my-drafts-title"')[1]  # under My drafts


def test_the_signed_in_home_page_leads_with_the_dashboard_summary(app, make, client):
    north, south, author, reader, shared, draft, gone = world(app, make)
    home = login(app, author).get("/").get_data(as_text=True)
    main = home.split('<main id="main"')[1]
    assert main.index('id="impact-summary-title"') < main.index('id="hero-title"')
    assert "Latest adoption" in main
    assert 'id="impact-summary-title"' not in client.get("/").get_data(as_text=True)  # not for visitors


def test_an_agency_impact_page_counts_only_published_practices_and_other_agencies(app, make, client):
    north, south, author, reader, shared, draft, gone = world(app, make)
    page = client.get("/agencies/northfield/impact").get_data(as_text=True)
    numbers = dict(re.findall(r"<li><span>([^<]+)</span><strong>(\d+)</strong>", page))
    assert numbers == {"Practices shared": "1", "Endorsements received": "0", "Adoptions received": "1",
                       "Endorsements given": "0", "Adoptions given": "0"}
    assert "Secret chatbot pilot" not in page and "Fax-back forms" not in page
    given = dict(re.findall(r"<li><span>([^<]+)</span><strong>(\d+)</strong>",
                            client.get("/agencies/southport/impact").get_data(as_text=True)))
    assert given["Adoptions given"] == "1"  # the adoption of the withdrawn practice no longer counts


def test_the_transfer_map_is_valid_svg_with_a_text_alternative_and_a_table(app, make, client):
    world(app, make)
    page = client.get("/agencies/northfield/impact").get_data(as_text=True)
    (transfer,) = [svg for svg in charts(page) if "transfer-map" in svg.get("class")]
    assert_accessible_chart(transfer)
    assert "Southport <Board> (1)" in transfer.find(f"{SVG}desc").text  # escaped in the page, whole in the XML
    assert "Taught: agencies that adopted" in page and ">Southport &lt;Board&gt;</a></td><td>1<" in page
    assert transfer.find(f".//{SVG}line") is not None  # an arrow


def test_reach_is_shown_to_the_owning_agency_and_admins_only(app, make, client):
    north, south, author, reader, shared, draft, gone = world(app, make)
    login(app, reader).get(f"/articles/{shared.slug}", headers=READER)
    counter.flush(app)
    for person, sees in ((author, True), (make.admin(), True), (reader, False), (None, False)):
        browser = login(app, person) if person else client
        article = browser.get(f"/articles/{shared.slug}").get_data(as_text=True)
        agency = browser.get("/agencies/northfield/impact").get_data(as_text=True)
        assert ('id="reach-chart"' in article) is sees
        assert ('id="reach-chart"' in agency) is sees
        if sees:
            (chart,) = [svg for svg in charts(article) if svg.get("id") == "reach-chart"]
            assert_accessible_chart(chart)
            assert len(chart.findall(f"{SVG}rect")) == 90
            assert "1 views in the last 90 days" in chart.find(f"{SVG}desc").text
            assert 'id="reach-table"' in article


def test_the_site_impact_page_ranks_practices_and_agencies_and_charts_months(app, make, client):
    world(app, make)
    page = client.get("/impact").get_data(as_text=True)
    adopted = page.split('id="adopted-title"')[1].split("</section>")[0]
    assert "Answering residents in an hour" in adopted and "Fax-back forms" not in adopted
    (chart,) = [svg for svg in charts(page) if svg.get("id") == "adoptions-chart"]
    assert_accessible_chart(chart)
    assert len(chart.findall(f"{SVG}rect")) == 12
    assert "1 adoptions between agencies in the last 12 months" in chart.find(f"{SVG}desc").text
    assert 'id="months-table"' in page
    assert "Download every adoption" not in page


def test_admins_export_every_adoption_between_agencies_as_csv(app, make, client):
    north, south, author, reader, shared, draft, gone = world(app, make)
    other = make.user()
    formula = make.article(author=author, title="=HYPERLINK(1) for councils")
    endorse(app, other, formula, "adopt")
    admin = make.admin()
    response = login(app, admin).get("/impact/adoptions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["adopted_at", "practice_slug", "practice_title", "practice_agency", "adopting_agency"]
    assert [row[2] for row in rows[1:]] == ["Answering residents in an hour", "'=HYPERLINK(1) for councils"]
    assert login(app, author).get("/impact/adoptions.csv").status_code == 403
    assert "Download every adoption" in login(app, admin).get("/impact").get_data(as_text=True)


def test_the_api_gives_an_agency_impact_and_my_dashboard(app, make, client):
    north, south, author, reader, shared, draft, gone = world(app, make)
    body = client.get("/api/v1/agencies/northfield/impact").get_json()
    assert body["practices"] == 1 and body["adoptions_received"] == 1 and body["endorsements_received"] == 0
    assert body["taught"] == [{"agency": {"slug": "southport", "name": "Southport <Board>"}, "adoptions": 1}]
    assert body["views"] is None  # views are the agency's own business
    own = client.get("/api/v1/agencies/northfield/impact", headers=bearer(make.token(author))).get_json()
    assert own["views"]["total"] == 0 and len(own["views"]["days"]) == 90
    assert client.get("/api/v1/agencies/nowhere/impact").status_code == 404
    assert client.get("/api/v1/me/dashboard").status_code == 401
    board = client.get("/api/v1/me/dashboard", headers=bearer(make.token(author))).get_json()
    assert [p["slug"] for p in board["practices"]] == [shared.slug]
    assert board["practices"][0]["adoptions"] == {"month": 1, "total": 1}
    assert [d["title"] for d in board["drafts"]] == ["Secret chatbot pilot"]
    assert board["adopted_from_me"][0]["agency"]["slug"] == "southport"
