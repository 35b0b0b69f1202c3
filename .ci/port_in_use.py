"""Say in one line whether `make run` can serve on HOST PORT: `python .ci/port_in_use.py HOST PORT`.

Prints nothing and exits 0 when the port is free; otherwise prints
"Port 5000 is in use: run `make run PORT=5001`" (the next free port) and exits 1.
Standard library only: it runs before the virtual environment exists.
"""
import socket
import sys


def in_use(host: str, port: int) -> bool:
    """Whether something listens on host:port, or the port cannot be bound there (as gunicorn would)."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        if probe.connect_ex((host, port)) == 0:
            return True
    try:
        with socket.socket() as server:
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind((host, port))
    except OSError:
        return True
    return False


def main(host: str, port: str) -> int:
    number = int(port)
    if not in_use(host, number):
        return 0
    free = next((p for p in range(number + 1, min(number + 100, 65536)) if not in_use(host, p)), number + 1)
    print(f"Port {number} is in use: run `make run PORT={free}`")
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
