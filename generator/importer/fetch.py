"""`gloss import URL`: fetch a web page over http(s), politely and within limits."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import __version__
from .article import CannotImport
from .text import MAX_INPUT_BYTES

TIMEOUT_SECONDS = 20.0
USER_AGENT = f"Gloss/{__version__} (gloss import: fetches one page an editor asked for)"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class FetchedPage:
    url: str
    """The address asked for."""
    final_url: str
    """Where the page was found after redirects: what relative links resolve against."""
    data: bytes
    content_type: str
    charset: str | None


def is_web_address(text: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) is not None


class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects (urllib allows 10) only to http(s) addresses."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201 - urllib's signature
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.URLError(f"redirected to a non-http(s) address {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


MAX_IMAGE_BYTES = 20 * 1024 * 1024
IMAGE_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
                  "image/avif": ".avif", "image/svg+xml": ".svg"}


def fetch_image(url: str, folder: Path, *, limit: int = MAX_IMAGE_BYTES) -> Path:
    """Download one image into `folder` (http(s) only, an image/* answer, at most `limit` bytes); returns the
    file, or raises CannotImport saying why not."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise CannotImport(url, line=0, message="only http(s) images are fetched")
    opener = urllib.request.build_opener(HttpOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            content_type = response.headers.get_content_type()
            if content_type not in IMAGE_SUFFIXES:
                raise CannotImport(url, line=0, message=f"not an image (the server says {content_type})")
            data = response.read(limit + 1)
    except CannotImport:
        raise
    except urllib.error.HTTPError as error:
        raise CannotImport(url, line=0, message=f"the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise CannotImport(url, line=0, message=f"cannot fetch it ({getattr(error, 'reason', None) or error})") from None
    if len(data) > limit:
        raise CannotImport(url, line=0, message=f"larger than {limit // (1024 * 1024)} MiB")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(unquote(urlsplit(url).path)).stem).strip("-.") or "image"
    target = folder / f"{stem}{IMAGE_SUFFIXES[content_type]}"
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}{IMAGE_SUFFIXES[content_type]}"
        number += 1
    target.write_bytes(data)
    return target


def fetch_page(url: str, *, limit: int = MAX_INPUT_BYTES) -> FetchedPage:
    """The page's bytes, or CannotImport with one line saying what went wrong and what to do."""
    where = url  # errors are reported against the address (no line), as a file's are against its path
    if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
        raise CannotImport(where, line=0, message="gloss import fetches only http:// and https:// addresses — save the page "
                           "from the browser and import the file instead")
    opener = urllib.request.build_opener(HttpOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            headers: Message = response.headers
            content_type = headers.get_content_type()
            if content_type not in HTML_TYPES:
                raise CannotImport(where, line=0, message=f"this is not a web page (the server says {content_type}) — "
                                   "gloss import reads HTML pages and .txt files")
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise CannotImport(where, line=0, message=too_large(limit))
            data = response.read(limit + 1)
            if len(data) > limit:
                raise CannotImport(where, line=0, message=too_large(limit))
            return FetchedPage(url, response.geturl(), data, content_type, headers.get_content_charset())
    except urllib.error.HTTPError as error:
        raise CannotImport(where, line=0, message=f"the server answered {error.code} {error.reason} — check the address, "
                           "or save the page from the browser and import the file") from None
    except TimeoutError:
        raise CannotImport(where, line=0, message=f"no answer within {TIMEOUT_SECONDS:g} s — try again later, or save the page "
                           "from the browser and import the file") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise CannotImport(where, line=0, message=f"no answer within {TIMEOUT_SECONDS:g} s — try again later, or save "
                               "the page from the browser and import the file") from None
        raise CannotImport(where, line=0, message=f"cannot fetch the page ({getattr(reason, 'strerror', None) or reason}) — "
                           "check the address and the network") from None
    except (OSError, ValueError) as error:  # connection reset, a malformed answer
        raise CannotImport(where, line=0, message=f"cannot fetch the page ({error}) — check the address and the network") from None


def too_large(limit: int) -> str:
    return (f"the page is larger than {limit // (1024 * 1024)} MiB — an article is far smaller; save it from "
            "the browser and import the file")
