"""The bench's ceiling is honest: it compiles its template once, as a real Flask app does."""
from bench.ceiling import app


def test_the_ceiling_compiles_its_template_once_not_per_request(monkeypatch):
    compiled = []
    original = app.jinja_env.compile

    def counting(*args, **kwargs):
        compiled.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(app.jinja_env, "compile", counting)
    app.jinja_env.cache.clear()
    client = app.test_client()
    first, second = client.get("/"), client.get("/")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and b"<li>9</li>" in first.data
    assert len(compiled) == 1


def test_the_ceiling_serves_under_the_exchanges_own_gunicorn_settings():
    """`make bench` serves the ceiling and the Exchange with one gunicorn.conf.py; its worker hook (the
    search warm-up) once stopped the ceiling's workers from booting."""
    import urllib.request

    from bench import serve

    with serve.gunicorn("bench.ceiling:app") as (base, _):
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            assert response.status == 200 and b"<li>9</li>" in response.read()
