"""The site pages a public service needs: in every footer, shipped with good defaults, editable by admins."""
import pytest

from exchange.community import rules

PAGES = {"/about": "About the Exchange", "/about/how-it-works": "How it works",
         "/about/comment-rules": "Comment rules", "/about/accessibility": "Accessibility statement",
         "/about/privacy": "Privacy notice", "/about/contact": "Contact"}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_site_page_is_linked_from_the_footer_and_shows_its_default(client, path):
    home = client.get("/").get_data(as_text=True)
    footer = home.split('<footer class="site-footer">', 1)[1]
    assert f'href="{path}"' in footer
    page = client.get(path)
    assert page.status_code == 200
    assert f"<h1>{PAGES[path]}</h1>" in page.get_data(as_text=True)


def test_a_page_that_is_not_one_of_them_is_404(client):
    assert client.get("/about/nothing-here").status_code == 404


def test_the_ranking_address_is_left_for_the_ranking_page(app):
    assert not [rule for rule in app.url_map.iter_rules()
                if rule.endpoint.startswith("pages.") and "ranking" in rule.rule]


def test_how_it_works_covers_endorsing_adopting_challenges_and_ranking(client):
    text = client.get("/about/how-it-works").get_data(as_text=True)
    for heading in ("Endorsing and adopting", "Challenges", "Ranking"):
        assert f">{heading}</h2>" in text
    assert 'href="/about/ranking"' in text


def test_the_comment_rules_are_the_ones_the_code_applies(app, client):
    text = client.get("/about/comment-rules").get_data(as_text=True)
    assert f"at most {rules.MAX_LINKS} link" in text
    assert f"{rules.MAX_BYTES // 1000} KB" in text
    assert f"younger than {rules.NEW_ACCOUNT_DAYS} days" in text
    for domain in app.config["COMMENT_LINK_BLOCKLIST"]:
        assert domain in text
    assert "Spam or advertising" in text  # the reasons a report can give


def test_the_accessibility_statement_says_the_standard_how_it_was_tested_and_how_to_report(client):
    text = client.get("/about/accessibility").get_data(as_text=True)
    assert "WCAG" in text and "2.2" in text and "AA" in text
    assert "axe-core" in text
    assert "Reporting a problem</h2>" in text and 'href="/about/contact"' in text


def test_the_privacy_notice_says_what_is_stored_counted_and_kept(client):
    text = client.get("/about/privacy").get_data(as_text=True)
    assert "Article views" in text and "no cookie" in text
    assert "How long we keep it</h2>" in text


def test_reading_sets_no_cookie_as_the_privacy_notice_says(client, make):
    article = make.article()
    for path in ("/", f"/articles/{article.slug}", "/about/privacy", "/search?q=data"):
        assert "Set-Cookie" not in client.get(path).headers, path


def test_an_admin_edits_a_page_in_markdown_and_puts_the_default_back(client, make, auth):
    auth.login(make.admin())
    form = client.get("/admin/pages/contact").get_data(as_text=True)
    assert "An admin of this site sets the address here" in form  # the shipped text, to edit
    response = client.post("/admin/pages/contact", data={"title": "Contact us",
                                                        "body": "Write to **help@exchange.example.gov**."})
    assert response.status_code == 302
    page = client.get("/about/contact").get_data(as_text=True)
    assert "<h1>Contact us</h1>" in page and "<strong>help@exchange.example.gov</strong>" in page
    assert "page.edit" in client.get("/admin/audit").get_data(as_text=True)
    assert client.post("/admin/pages/contact/reset").status_code == 302
    assert "<h1>Contact</h1>" in client.get("/about/contact").get_data(as_text=True)


def test_a_refused_edit_keeps_what_was_typed_and_changes_nothing(client, make, auth):
    auth.login(make.admin())
    response = client.post("/admin/pages/about", data={"title": "A", "body": "Kept **text**"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "Kept **text**" in text
    assert "<h1>About the Exchange</h1>" in client.get("/about").get_data(as_text=True)


def test_page_markdown_is_made_safe(client, make, auth):
    auth.login(make.admin())
    client.post("/admin/pages/about",
                data={"title": "About", "body": "<script>alert(1)</script> [x](javascript:alert(1))"})
    text = client.get("/about").get_data(as_text=True)
    assert "<script>alert" not in text and 'href="javascript' not in text


def test_members_cannot_edit_pages(client, make, auth):
    auth.login(make.user())
    assert client.post("/admin/pages/about", data={"title": "Mine", "body": "Mine"}).status_code == 403
    assert "<h1>About the Exchange</h1>" in client.get("/about").get_data(as_text=True)
