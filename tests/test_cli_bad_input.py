"""Through the real ``exchange`` command: bad input or an unusable database ends with one line and status 1."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXCHANGE = str(Path(sys.executable).with_name("exchange"))


def run(database_url, *args, stdin: bytes = b"", cwd=None):
    env = {**os.environ, "EXCHANGE_DATABASE_URL": database_url, "EXCHANGE_SEARCH_BACKEND": "null",
           "EXCHANGE_SECRET_KEY": "test", "EXCHANGE_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    env.pop("EXCHANGE_TEST_DATABASE_URL", None)
    done = subprocess.run([EXCHANGE, *args], input=stdin, capture_output=True, env=env, cwd=cwd, timeout=120)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def assert_one_line(code, err, *words):
    assert code != 0
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, err
    assert all(word in lines[0] for word in words), lines[0]


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    (folder / "case-studies").mkdir(parents=True)
    return folder


def _article(folder, name, front):
    (folder / "case-studies" / name).write_text(f"---\n{front}\n---\nSome text.\n")


def test_hostile_content_files_each_get_one_line_and_nothing_outside_the_database(database, content, tmp_path):
    _article(content, "escape.md", "title: Path escape\nslug: ../../escaped\nsummary: s")
    _article(content, "bomb.md", "title: Bomb\na: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]")
    _article(content, "tag.md", "title: !!python/object/apply:os.system [touch pwned]\nsummary: s")
    _article(content, "date.md", "title: Bad date\nsummary: s\nreview_by: 2024-13-45")
    _article(content, "notdate.md", "title: Not a date\nsummary: s\nreview_by: next spring")
    code, out, err = run(database, "content", "load", str(content), cwd=tmp_path)
    assert code == 1 and "Traceback" not in err, err
    for name, field in [("escape.md", "slug"), ("bomb.md", "aliases"), ("tag.md", "python/object"),
                        ("date.md", "not a date"), ("notdate.md", "review_by")]:
        lines = [line for line in err.splitlines() if line.startswith(str(content / "case-studies" / name))]
        assert len(lines) == 1 and field in lines[0], err
    assert "5 failed" in out
    assert not (tmp_path / "pwned").exists() and not list(tmp_path.rglob("escaped*"))


def test_bad_revision(database):
    assert_one_line(*run(database, "db", "upgrade", "--revision", "bogus")[::2], "bogus")


def test_unusable_export_and_backup_folders(database, tmp_path):
    (tmp_path / "a-file").write_text("")
    assert_one_line(*run(database, "content", "export", str(tmp_path / "a-file" / "x"))[::2], "a-file")
    assert_one_line(*run(database, "backup", "/proc/no-backups-here")[::2], "/proc/no-backups-here")


def test_non_utf8_password_on_stdin(database, make):
    agency = make.agency()
    code, _, err = run(database, "user", "add", f"a@{agency.domain_names[0]}", "--name", "A", "--agency",
                       agency.slug, "--password-stdin", stdin=b"\xff\xfe\xfa a long enough secret sentence\n")
    assert_one_line(code, err, "UTF-8")


def test_unreachable_database():
    assert_one_line(*run("postgresql://nobody@127.0.0.1:9/none", "content", "export", "/tmp/x")[::2], "database")


def test_unmigrated_database(tmp_path):
    assert_one_line(*run(f"sqlite:///{tmp_path / 'empty.db'}", "content", "export", str(tmp_path / "x"))[::2],
                    "exchange db upgrade")


def test_bad_database_url(tmp_path):
    assert_one_line(*run("nosuchdialect://x/y", "content", "export", str(tmp_path / "x"))[::2],
                    "EXCHANGE_DATABASE_URL")
