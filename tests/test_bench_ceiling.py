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
