"""A newcomer's first `make run`: the port it uses, the commands the README shows, a quiet start."""
import itertools
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
