"""Schemathesis against our OpenAPI document, served by gunicorn with a member's and an admin's token.

    python .ci/fuzz.py [--database-url URL] [--max-examples N] [--seed S]

Builds a fresh instance (SQLite in a temporary folder, or the PostgreSQL database given, which
it empties), loads the starter library, starts gunicorn on a free loopback port, and runs
Schemathesis's stateful run with every check, once as a member and once as an admin. Exits
non-zero on any failure. `make fuzz` runs it longer; `.ci/run` runs it with a fixed budget.
The Schemathesis executable comes from `.venv-fuzz` (see the Makefile), kept apart from the app's
environment: its dependencies are pinned in constraints.txt too, but installed only there.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SCHEMATHESIS = ROOT / ".venv-fuzz" / "bin" / "schemathesis"
PASSWORD = "fuzzing is a kind of listening"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--max-examples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--max-time", type=int, default=0, help="seconds per role (0: no limit)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="exchange-fuzz-") as tmp:
        env = _environment(Path(tmp), args.database_url)
        if args.database_url.startswith("postgres"):
            _empty_postgres(env)
        tokens = _prepare(env)
        port = _free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "wsgi:app"],
            cwd=ROOT, env=env, stdout=open(Path(tmp) / "server.log", "w"), stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base, server, Path(tmp) / "server.log")
            failed = [role for role, token in tokens.items() if _fuzz(base, role, token, args)]
        finally:
            server.terminate()
            server.wait(timeout=30)
    if failed:
        print(f"Schemathesis found failures as: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("Schemathesis: no failures as member or admin.")
    return 0


def _environment(tmp: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")}
    env.update(
        EXCHANGE_DATABASE_URL=database_url or f"sqlite:///{tmp / 'fuzz.db'}",
        EXCHANGE_SEARCH_BACKEND="postgres" if database_url.startswith("postgres") else "whoosh",
        EXCHANGE_SEARCH_INDEX=str(tmp / "search_index"),
        EXCHANGE_SECRET_KEY="fuzzing-only-secret",
        EXCHANGE_ADMIN_MFA="false",
        # Thousands of requests a minute from one address: the limits would answer most with 429.
        EXCHANGE_RATELIMIT_ENABLED="false",
        EXCHANGE_PAGE_CACHE_MB="0",
    )
    return env


def _empty_postgres(env: dict) -> None:
    code = ("import sqlalchemy as sa; from exchange.db import database_url; "
            "e = sa.create_engine(database_url(__import__('os').environ['EXCHANGE_DATABASE_URL']));"
            "c = e.connect(); c.execute(sa.text('DROP SCHEMA public CASCADE')); "
            "c.execute(sa.text('CREATE SCHEMA public')); c.commit()")
    subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True, cwd=ROOT)


def _exchange(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([str(BIN / "exchange"), *args], env=env, cwd=ROOT, input=stdin,
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"exchange {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def _prepare(env: dict) -> dict[str, str]:
    """Migrate, load the library, and return a member's and an admin's token."""
    _exchange(env, "db", "upgrade")
    _exchange(env, "content", "load")
    _exchange(env, "search", "reindex")
    _exchange(env, "agency", "add", "fuzz-council", "--name", "Fuzz Council", "--domain", "fuzz.example.gov")
    tokens = {}
    for role, extra in (("member", []), ("admin", ["--admin"])):
        email = f"{role}@fuzz.example.gov"
        _exchange(env, "user", "add", email, "--name", f"Fuzz {role}", "--agency", "fuzz-council",
                  "--password-stdin", *extra, stdin=PASSWORD + "\n")
        tokens[role] = _exchange(env, "token", "create", email, "--label", "fuzz").strip()
    return tokens


def _fuzz(base: str, role: str, token: str, args) -> bool:
    """Run Schemathesis as one role; True when it found failures."""
    command = [
        str(SCHEMATHESIS), "--config-file", str(ROOT / ".ci" / "schemathesis.toml"),
        "run", f"{base}/api/v1/openapi.json", "--url", f"{base}/api/v1",
        "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", str(args.max_examples), "--seed", str(args.seed),
        # One worker: with two threads, Hypothesis's lambda descriptions parse source while the other thread
        # does, and CPython 3.11.7's ast module then fails with "SystemError: AST constructor recursion depth
        # mismatch" (CPython gh-106905, fixed in 3.11.8): a crash of the tool, not a finding about the API.
        "--header", f"Authorization: Bearer {token}", "--workers", "1", "--no-color",
        "--generation-database", "none", "--request-timeout", "20",
    ]
    if args.max_time:
        command += ["--max-time", str(args.max_time)]
    print(f"== Schemathesis as {role}", flush=True)
    return subprocess.run(command, cwd=ROOT).returncode != 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return
        except OSError:  # not listening yet
            if server.poll() is not None:
                break
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")


if __name__ == "__main__":
    sys.exit(main())
