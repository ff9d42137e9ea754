"""gloss import URL, against a real HTTP server on 127.0.0.1 started by the test: redirects, the charset
from the header, the raw page kept for provenance, and one clear line (exit 1, nothing written) for a
404, a timeout, a page that is not HTML and a page that is too large."""

from __future__ import annotations

import contextlib
import json
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.importer import fetch, import_command

PARAGRAPH = ("Ферри между Баку и Актау ходит теперь трижды в неделю, сообщил оператор порта в понедельник. "
             "Рейс занимает около суток, а билеты продаются только в кассе порта. ")
PAGE = ("<!doctype html><html lang='ru'><head><title>Паром через Каспий</title></head><body><article>"
        "<h1>Паром через Каспий</h1>" + f"<p>{PARAGRAPH * 3}</p>" * 4
        + "<p>Полное <a href='/timetable'>расписание</a> оператор публикует на сайте порта каждую пятницу, "
        "вместе с ценами на билеты и правилами перевозки грузовиков.</p></article></body></html>")


class Handler(BaseHTTPRequestHandler):
    seen_agents: list[str] = []
    answer_the_slow = threading.Event()  # /slow answers only once the tests are done: a timeout, however busy

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/story":
            self.answer(200, "text/html; charset=windows-1251", PAGE.encode("cp1251"))
        elif self.path == "/old-address":
            self.send_response(301)
            self.send_header("Location", "/story")
            self.end_headers()
        elif self.path == "/with-photos":
            self.answer(200, "text/html; charset=utf-8", PAGE.replace(
                "</article>", "<figure><img src='/photo.png' alt='The ferry'><figcaption>The ferry at Aktau. "
                "Photo: Port</figcaption></figure><figure><img src='/gone.png' alt='Gone'><figcaption>A lost "
                "photo.</figcaption></figure></article>").encode())
        elif self.path == "/photo.png":
            self.answer(200, "image/png", b"\x89PNG\r\n\x1a\n")
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the limit is found while reading
            chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
            with contextlib.suppress(OSError):  # the client stops reading at the limit
                for _ in range(200):
                    self.wfile.write(chunk)
        elif self.path == "/slow":
            Handler.answer_the_slow.wait(60)
            self.answer(200, "text/html", PAGE.encode())
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        else:
            self.answer(404, "text/html", b"<h1>Not Found</h1>")

    def answer(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (the timeout test)
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.answer_the_slow.set()
    httpd.shutdown()
    httpd.server_close()


def edition(folder: Path) -> Path:
    (folder / "site.toml").touch()
    return folder


def test_a_page_is_fetched_through_a_redirect_decoded_by_its_header_and_kept(
        server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = edition(tmp_path)
    assert import_command(f"{server}/old-address", site_dir=site, slug="ferry", to_stdout=False, force=False) == 0
    text = (site / "content" / "ferry.md").read_text(encoding="utf-8")
    front = tomllib.loads(text.split("+++\n")[1])
    assert front["title"] == "Паром через Каспий"
    assert front["source"] == f"{server}/story"  # where the page was found, after the redirect
    assert front["language"] == "ru"
    assert PARAGRAPH.split(". ")[0] in text  # cp1251 from the Content-Type header, not guessed
    assert f"[расписание]({server}/timetable)" in text  # relative links resolved against the page's address
    raw = site / ".gloss-cache" / "imports" / "ferry.html"
    assert raw.read_bytes() == PAGE.encode("cp1251")
    record = json.loads((site / ".gloss-cache" / "imports" / "ferry.json").read_text(encoding="utf-8"))
    assert record["url"] == f"{server}/old-address" and record["final_url"] == f"{server}/story"
    assert record["charset"] == "windows-1251"
    assert Handler.seen_agents[-1].startswith("Gloss/")
    assert f"wrote {site / 'content' / 'ferry.md'}" in capsys.readouterr().err


@pytest.mark.parametrize(("path", "message"), [
    ("/missing", "the server answered 404 Not Found — check the address"),
    ("/photo.png", "this is not a web page (the server says image/png) — "),
    ("/huge", "the page is larger than 1 MiB — "),
    ("/slow", "no answer within 1 s — "),
    ("/to-file", "Redirection to url 'file:///etc/passwd' is not allowed"),
])
def test_a_failed_fetch_is_one_line_exit_1_and_writes_nothing(
        server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        path: str, message: str) -> None:
    if path == "/slow":  # (the other answers get the usual 20 s: a busy machine may take more than 1 s)
        monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr(fetch, "MAX_INPUT_BYTES", 1024 * 1024)
    monkeypatch.setattr(fetch.fetch_page, "__kwdefaults__", {"limit": 1024 * 1024})
    site = edition(tmp_path)
    assert import_command(f"{server}{path}", site_dir=site, slug=None, to_stdout=False, force=False) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{server}{path}: error: ") and message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert sorted(p.name for p in site.iterdir()) == ["site.toml"]


def test_only_http_addresses_are_fetched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert import_command("ftp://example.org/page.html", site_dir=edition(tmp_path), slug=None, to_stdout=False,
                          force=False) == 1
    assert "gloss import fetches only http:// and https:// addresses" in capsys.readouterr().err


def test_fetch_media_downloads_remote_images_and_says_which_it_could_not(
        server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = edition(tmp_path)
    assert import_command(f"{server}/with-photos", site_dir=site, slug="ferry", to_stdout=False, force=False,
                          fetch_media=True) == 0
    text = (site / "content" / "ferry.md").read_text(encoding="utf-8")
    assert (site / "content" / "media" / "ferry" / "photo.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    assert "::: figure\n![The ferry](media/ferry/photo.png)\n\nThe ferry at Aktau. Photo: Port\n:::" in text
    assert f"A lost photo. [original image]({server}/gone.png)" in text  # kept as a link, with its caption
    err = capsys.readouterr().err
    assert f"note: fetched remote image {server}/photo.png" in err
    assert f"note: remote image not fetched (the server answered 404 Not Found), linked as “original image”: " \
           f"{server}/gone.png" in err
    assert "1 image(s)" in err


def test_without_fetch_media_a_remote_image_stays_a_linked_figure_and_the_command_says_so(
        server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = edition(tmp_path)
    assert import_command(f"{server}/with-photos", site_dir=site, slug="ferry", to_stdout=False, force=False) == 0
    assert f"The ferry at Aktau. Photo: Port [original image]({server}/photo.png)" in (
        site / "content" / "ferry.md").read_text(encoding="utf-8")
    assert not (site / "content" / "media").exists()
    assert "remote image not copied, linked as “original image”" in capsys.readouterr().err
