"""A newcomer's first `make run`: the port it uses, the commands the README shows, a quiet start."""
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@needs_make
def test_a_busy_port_stops_make_run_at_once_with_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _make("run", "HOST=127.0.0.1", f"PORT={port}")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"Port {port} is in use: run `make run PORT=" in lines[0]
    assert "pip" not in result.stdout and "upgrade" not in result.stdout  # stopped before anything slow


@needs_make
def test_make_run_first_says_which_port_and_how_to_change_it():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _make("-n", "run", "HOST=127.0.0.1", f"PORT={port}")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert f"http://127.0.0.1:{port}" in first and "make run PORT=" in first


@needs_make
def test_make_run_leaves_the_access_log_to_the_app():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _make("-n", "run", "HOST=127.0.0.1", f"PORT={port}")
    gunicorn = [line for line in result.stdout.splitlines() if "gunicorn " in line]
    assert gunicorn and not any("access-log" in line for line in gunicorn)


def test_the_readme_first_lines_show_how_to_choose_the_port():
    two_commands = ROOT.joinpath("README.md").read_text().split("## Two commands", 1)[1][:800]
    assert "make run PORT=" in two_commands


def _readme_commands() -> list[str]:
    """The commands in the README's tables under "## The command line": rows whose first cell is `a command`."""
    section = ROOT.joinpath("README.md").read_text().split("## The command line", 1)[1].split("\n## ", 1)[0]
    return [cell.group(1) for line in section.splitlines()
            if (cell := re.match(r"\|\s*`([^`]+)`\s*\|", line))]


def test_the_readme_commands_work_as_written_after_make_run():
    commands = _readme_commands()
    assert len(commands) >= 10
    assert [c for c in commands if not c.startswith(".venv/bin/exchange ")] == []


@pytest.mark.parametrize("command", _readme_commands())
def test_every_readme_command_has_help(command):
    words = list(itertools.takewhile(lambda word: re.fullmatch(r"[a-z][a-z-]*", word), command.split()[1:]))
    assert words, command
    result = subprocess.run([sys.executable, "-m", "exchange.cli", *words, "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def _clean_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXCHANGE_", "GUNICORN_"))}
    return {**env, "EXCHANGE_INSTANCE_PATH": str(tmp_path / "instance"), "EXCHANGE_ADMIN_MFA": "false"}


def _exchange(tmp_path: Path, *args: str) -> list[str]:
    """Run an exchange command as `make run` does, in a fresh folder; its output lines (stdout and stderr)."""
    result = subprocess.run([sys.executable, "-m", "exchange.cli", *args], cwd=tmp_path, env=_clean_env(tmp_path),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return (result.stdout + result.stderr).splitlines()


def test_db_upgrade_says_what_it_did_in_one_line(tmp_path):
    lines = _exchange(tmp_path, "db", "upgrade")
    assert len(lines) == 1, lines
    assert "migrations" in lines[0] and "up to date" in lines[0]
    assert _exchange(tmp_path, "db", "upgrade") == ["The database schema is up to date."]


def test_a_clean_start_is_short_and_ends_with_how_to_sign_in(tmp_path):
    lines = []
    for step in (["db", "upgrade"], ["content", "load", "--if-empty", "--recent"], ["search", "reindex", "--if-needed"],
                 ["demo", "--address", "http://127.0.0.1:5000"]):
        lines += _exchange(tmp_path, *step)
    assert len(lines) <= 14, "\n".join(lines)
    password = (tmp_path / "instance" / "demo-admin.txt").read_text().split()[-1]
    block = "\n".join(lines[-6:])
    assert "http://127.0.0.1:5000" in block and password in block and "demo-admin.txt" in block
    assert ". .venv/bin/activate" in block


def test_a_second_start_says_where_the_password_is_instead_of_printing_it(tmp_path):
    _exchange(tmp_path, "db", "upgrade")
    first = "\n".join(_exchange(tmp_path, "demo"))
    password = (tmp_path / "instance" / "demo-admin.txt").read_text().split()[-1]
    assert password in first
    second = "\n".join(_exchange(tmp_path, "demo"))
    assert password not in second
    assert "demo-admin.txt" in second and "admin@" in second


def test_the_app_leaves_alembic_quiet_unless_asked(tmp_path):
    lines = _exchange(tmp_path, "db", "upgrade", "--verbose")
    assert any("Running upgrade" in line for line in lines)
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=_clean_env(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "alembic" not in result.stdout + result.stderr, result.stderr


def _install_with(tmp_path: Path, pip: str) -> subprocess.CompletedProcess:
    """The Makefile's install step into a stand-in venv whose pip is ``pip`` (a shell command)."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()  # newer than setup.cfg: make does not recreate the venv
    return _make(f"{venv}/.installed", f"VENV={venv}", f"PIP=sh -c '{pip}' --")


NOISE = "echo \"WARNING: Location file:///opt/pypi/simple/flask/ is ignored: it is neither a file nor a directory.\""


@needs_make
def test_the_first_install_says_one_line_when_pip_only_warns(tmp_path):
    result = _install_with(tmp_path, f"{NOISE}; {NOISE}; echo Successfully installed flask")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines() == [f"Installing the Exchange into {tmp_path / 'venv'} "
                                                  "(once; a minute or so)"]
    assert result.stderr == ""
    assert "Successfully installed" in (tmp_path / "venv" / "install.log").read_text()


@needs_make
def test_a_failed_install_shows_pips_error_and_where_its_whole_output_is(tmp_path):
    result = _install_with(tmp_path, f"{NOISE}; echo ERROR: No matching distribution found for flask >&2; exit 1")
    assert result.returncode != 0
    assert "ERROR: No matching distribution found for flask" in result.stderr
    assert "is ignored" not in result.stderr
    assert f"pip's whole output is in {tmp_path / 'venv' / 'install.log'}" in result.stderr
    assert not (tmp_path / "venv" / ".installed").exists()


def test_the_test_install_asks_pip_for_both_extras(tmp_path):
    """A comma in $(call)'s arguments split '.[test,postgres]' in two: a clean clone's `make test` died in sh."""
    result = subprocess.run(["make", "--dry-run", "--always-make", "install-test", f"VENV={tmp_path / 'venv'}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "-e '.[test,postgres]' >" in result.stdout, result.stdout
