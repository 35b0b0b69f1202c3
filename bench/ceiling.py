"""The ceiling: a bare Flask app rendering one small Jinja template (gunicorn bench.ceiling:app)."""
from flask import Flask, render_template_string

app = Flask(__name__)
PAGE = ("<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1>"
        "<ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>")


@app.get("/")
def index():
    return render_template_string(PAGE, title="Ceiling", items=range(10))
