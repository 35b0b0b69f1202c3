"""Only trusted host names are answered: an untrusted Host header gets 400, never a page built from it."""


def test_untrusted_host_is_400_page(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"evil.example" not in response.data and b"Bad request" in response.data


def test_untrusted_host_is_400_json_under_api(client):
    response = client.get("/api/v1/articles", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"


def test_poisoned_request_does_not_reach_the_page_cache(new_app, make):
    app = new_app(PAGE_CACHE_MB=8, PAGE_CACHE_SECONDS=60)
    make.article()
    client = app.test_client()
    client.get("/", headers={"Host": "evil.example"})
    for _ in range(3):
        assert b"evil.example" not in client.get("/").data


def test_page_cache_keeps_each_trusted_host_apart(new_app, make):
    app = new_app(PAGE_CACHE_MB=8, PAGE_CACHE_SECONDS=60, TRUSTED_HOSTS="exchange.example,localhost")
    article = make.article()
    client = app.test_client()
    first = client.get(f"/articles/{article.slug}", headers={"Host": "exchange.example"})
    assert first.status_code == 200
    assert len(app.extensions["exchange.pagecache"].pages) == 1
    client.get(f"/articles/{article.slug}")
    assert len(app.extensions["exchange.pagecache"].pages) == 2


def test_server_name_is_trusted_and_used_in_feeds(new_app, make):
    app = new_app(SERVER_NAME="exchange.example")
    make.article()
    response = app.test_client().get("/feeds/new.atom", headers={"Host": "exchange.example"})
    assert response.status_code == 200
    assert b"http://exchange.example/" in response.data
    # Reached by its address, the server still links with its name.
    response = app.test_client().get("/feeds/new.atom", headers={"Host": "127.0.0.1"})
    assert response.status_code == 200 and b"127.0.0.1" not in response.data


def test_configured_trusted_hosts_replace_the_defaults(new_app):
    client = new_app(TRUSTED_HOSTS="exchange.example").test_client()
    assert client.get("/healthz", headers={"Host": "exchange.example"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "localhost"}).status_code == 400
