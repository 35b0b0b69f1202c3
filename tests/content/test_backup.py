"""Backups: a consistent copy while the site runs, restored into an empty instance."""
import shutil
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL


def test_backup_writes_content_export(runner, make, tmp_path):
    make.article(title="Kept safe")
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folder = Path(result.output.split("Backup written to ")[1].split()[0])
    assert any("Kept safe" in p.read_text() for p in (folder / "content").rglob("*.md"))


@pytest.mark.skipif(bool(POSTGRES_URL), reason="the SQLite copy is for SQLite instances; PostgreSQL uses pg_dump")
def test_sqlite_backup_restores_into_an_empty_instance(runner, make, new_app, tmp_path):
    titles = {make.article(title=f"Practice to keep {i}").title for i in range(3)}
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    folder = Path(result.output.split("Backup written to ")[1].split()[0])
    restored = tmp_path / "restored.db"
    shutil.copy(folder / "exchange.db", restored)
    app = new_app(DATABASE_URL=f"sqlite:///{restored}")
    found = app.test_client().get("/api/v1/articles?per_page=100").json
    assert {a["title"] for a in found["items"]} >= titles


def test_content_export_of_a_backup_loads_into_an_empty_instance(runner, make, new_app, tmp_path):
    titles = {make.article(title=f"Practice to keep {i}").title for i in range(3)}
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    folder = Path(result.output.split("Backup written to ")[1].split()[0])
    empty = tmp_path / "empty.db"
    app = new_app(DATABASE_URL=f"sqlite:///{empty}")
    fresh = app.test_cli_runner()
    assert fresh.invoke(args=["db", "upgrade"]).exit_code == 0
    loaded = fresh.invoke(args=["content", "load", str(folder / "content")])
    assert loaded.exit_code == 0, loaded.output
    found = app.test_client().get("/api/v1/articles?per_page=100").json
    assert {a["title"] for a in found["items"]} >= titles


def test_backup_into_a_file_path_is_refused(runner, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(args=["backup", str(blocker)])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_a_backup_keeps_the_endorsements_and_adoptions(runner, make, app, tmp_path):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.endorsements.services import endorse

    article = make.article(title="Worth adopting")
    other = make.user(email="ola@elsewhere.example", agency=make.agency("elsewhere", domains=["elsewhere.example"]))
    with app.app_context():
        reader = get_user(other.id)
        endorse(reader, get_article(reader, article.slug), "adopt", "We run it in our district now.")
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folder = Path(result.output.split("Backup written to ")[1].split()[0])
    kept = (folder / "content" / "endorsements.yml").read_text(encoding="utf-8")
    assert f"- article: {article.slug}\n" in kept and "ola@elsewhere.example" in kept
    assert "kind: adopt\n" in kept and "note: We run it in our district now.\n" in kept
