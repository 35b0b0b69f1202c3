"""The ceiling: a bare Flask app rendering one small template file (gunicorn bench.ceiling:app).

As every real Flask app does, it renders a template file through ``render_template``, which Jinja
compiles once and keeps; ``render_template_string`` would compile on every request and make a
ceiling several times too low, flattering every ratio measured against it.
"""
from flask import Flask, render_template

app = Flask(__name__)  # templates from bench/templates/


@app.get("/")
def index():
    return render_template("ceiling.html", title="Ceiling", items=range(10))
