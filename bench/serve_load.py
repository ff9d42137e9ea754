"""gloss serve under load, on 127.0.0.1 only: N concurrent GETs (errors, slowest answer), and whether the server
still answers while H half-open connections (a connect and nothing sent) are held open.

    .venv/bin/python bench/serve_load.py [--concurrent 1000] [--half-open 1000] [--site PATH]
"""

from __future__ import annotations

import argparse
import io
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.serve import Preview  # noqa: E402


def get(port: int, path: str = "/", timeout: float = 30.0, host: str = "127.0.0.1") -> tuple[int, float]:
    """(status or -1 on an error, seconds)."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else -1
    except OSError:
        status = -1
    return status, time.monotonic() - started


def concurrent(port: int, count: int) -> dict:
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    start = threading.Event()

    def one() -> None:
        start.wait()
        found = get(port)
        with lock:
            results.append(found)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join()
    errors = sum(1 for status, _ in results if status != 200)
    return {"requests": count, "errors": errors, "slowest_s": round(max(s for _, s in results), 2)}


def half_open(port: int, count: int) -> dict:
    held = []
    for _ in range(count):
        try:
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            break
    status, seconds = get(port, timeout=30)
    for sock in held:
        sock.close()
    return {"held": len(held), "answer": status, "answer_s": round(seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrent", type=int, default=1000)
    parser.add_argument("--half-open", type=int, default=1000)
    parser.add_argument("--site", default=str(ROOT / "site.toml"))
    args = parser.parse_args()
    preview = Preview(Path(args.site), port=0, out=io.StringIO(), err=sys.stderr)
    preview.start()
    port = preview.server.server_address[1]
    try:
        print("concurrent:", concurrent(port, args.concurrent), flush=True)
        print("half-open: ", half_open(port, args.half_open), flush=True)
    finally:
        preview.stop()


if __name__ == "__main__":
    main()
