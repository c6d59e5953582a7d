"""One bounded HTTP GET of a source's address, redirects followed by hand.

abuild archive is the only command that uses the network, and every answer
is hostile: a server may drip a page for ever, send a gigabyte, redirect to
``file:///etc/passwd`` or round in circles. So:

- only ``http:`` and ``https:`` addresses are opened, on every hop of a
  redirect (urllib would also open ``file:``, ``ftp:`` and ``data:``);
- redirects are followed here, at most :attr:`Limits.redirects`, each hop
  recorded (the WARC holds every exchange);
- a body larger than :attr:`Limits.max_bytes` is refused while it is read
  (a ``Content-Length`` over the limit before a byte of it), never after;
- every read waits at most :attr:`Limits.timeout` seconds and a whole
  response at most :attr:`Limits.deadline` (a server sending one byte a
  second would pass any read timeout);
- 429 and 503 are retried :attr:`Limits.retries` times, after the
  ``Retry-After`` the server asks for when it is at most
  :attr:`Limits.max_wait` seconds, else after 2, 4, ... seconds;
- proxies come from the environment (``https_proxy``, ``no_proxy``: urllib's
  :class:`~urllib.request.ProxyHandler`), as for every other program.
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from .. import __version__

USER_AGENT = f"abuild-archive/{__version__} (+ambtsberichten bronarchief)"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    # a report's sources are HTML pages of 50-500 KB and PDFs of up to ~20 MB
    # (the US State Department's country reports); a larger answer is not a
    # source page, and 4 fetches of 25 MB bound the memory at 100 MB
    max_bytes: int = 25 * 1024 * 1024
    timeout: float = 20.0  # seconds a connect or a read may wait
    deadline: float = 120.0  # seconds for a whole response (25 MB at ~200 KB/s)
    redirects: int = 5
    retries: int = 2
    max_wait: float = 30.0  # the longest Retry-After honoured
    parallel: int = 4  # fetches at once (one host is never asked twice at once)
    proxies: dict[str, str] | None = None  # None: from the environment
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


@dataclass(frozen=True)
class Exchange:
    """One request and its response, as the WARC records them."""

    url: str
    request_line: str  # "GET /path?query HTTP/1.1"
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


class FetchFailed(Exception):
    """The source could not be captured; the message says why, for a drafter."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # every hop is checked and recorded by fetch() itself
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(limits: Limits) -> urllib.request.OpenerDirector:
    proxy = urllib.request.ProxyHandler(limits.proxies)  # None reads the environment
    return urllib.request.build_opener(proxy, _NoRedirect())


def _check_scheme(url: str, what: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise FetchFailed(f"{what} {url[:200]!r} is not an http(s) address; abuild archive opens no other")


def fetch(url: str, limits: Limits, route: Callable[[str], str] | None = None) -> list[Exchange]:
    """Every exchange from ``url`` to its final answer (redirects included).

    ``route`` (for the example report's fictional sources only) gives the
    address actually connected to; the request and the records keep ``url``.
    """
    _check_scheme(url, "the address")
    opener = _opener(limits)
    hops: list[Exchange] = []
    seen = {url}
    while True:
        hop = _with_retries(opener, url, limits, route)
        hops.append(hop)
        if hop.status not in (301, 302, 303, 307, 308):
            return hops
        location = next((v for k, v in hop.headers if k.lower() == "location"), None)
        if not location:
            raise FetchFailed(f"{url} answered {hop.status} (a redirect) without saying where to")
        target = urljoin(url, location.strip())
        _check_scheme(target, f"{url} redirects to")
        if len(hops) > limits.redirects:
            raise FetchFailed(f"{hops[0].url} redirects more than {limits.redirects} times")
        if target in seen:
            raise FetchFailed(f"{hops[0].url} redirects in a circle (back to {target})")
        seen.add(target)
        url = target


def _with_retries(
    opener: urllib.request.OpenerDirector, url: str, limits: Limits, route: Callable[[str], str] | None
) -> Exchange:
    for attempt in range(limits.retries + 1):
        hop = _get(opener, url, limits, route)
        if hop.status not in (429, 503) or attempt == limits.retries:
            return hop
        wait = _retry_after(hop.headers)
        if wait is None:
            wait = 2.0 * 2**attempt
        elif wait > limits.max_wait:
            raise FetchFailed(
                f"{url} answered {hop.status} and asks to wait {wait:.0f} s, more than the {limits.max_wait:.0f} s"
                " abuild waits; try again later"
            )
        limits.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(headers: list[tuple[str, str]]) -> float | None:
    value = next((v.strip() for k, v in headers if k.lower() == "retry-after"), None)
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _get(
    opener: urllib.request.OpenerDirector, url: str, limits: Limits, route: Callable[[str], str] | None
) -> Exchange:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]  # user:password@ is never sent on
    headers = [
        ("User-Agent", USER_AGENT),
        ("Accept", "*/*"),
        ("Accept-Encoding", "identity"),  # the body as the page is: no decoding between server and WARC
        ("Host", host),
    ]
    target = route(url) if route else url
    request = urllib.request.Request(target, headers=dict(headers), method="GET")
    started = time.monotonic()
    try:
        response: Any = opener.open(request, timeout=limits.timeout)
    except urllib.error.HTTPError as exc:
        response = exc  # 3xx, 4xx, 5xx: an answer all the same, recorded as one
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchFailed(f"{url} could not be reached ({_reason(exc)})") from None
    try:
        status = int(getattr(response, "status", None) or response.code)
        answer = [(k, v) for k, v in response.headers.items() if k.lower() != "transfer-encoding"]
        body = _body(response, url, limits, started)
    finally:
        response.close()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Exchange(
        url, f"GET {path} HTTP/1.1", headers, status, str(getattr(response, "reason", "") or ""), answer, body
    )


def _body(response: IO[bytes], url: str, limits: Limits, started: float) -> bytes:
    length = getattr(response, "headers", {}).get("Content-Length")
    if length and length.strip().isdigit() and int(length) > limits.max_bytes:
        raise FetchFailed(f"{url} is {int(length):,} bytes, more than the limit of {limits.max_bytes:,} bytes")
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() - started > limits.deadline:
                raise FetchFailed(f"{url} took longer than {limits.deadline:.0f} s to send its answer")
            block = response.read(min(CHUNK, limits.max_bytes + 1 - size))
            if not block:
                return b"".join(parts)
            size += len(block)
            if size > limits.max_bytes:
                raise FetchFailed(f"{url} sends more than the limit of {limits.max_bytes:,} bytes")
            parts.append(block)
    except (OSError, http.client.HTTPException) as exc:
        raise FetchFailed(f"{url} broke off its answer ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "reason", None)
    if isinstance(inner, BaseException):
        exc = inner
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "no answer in time"
    return str(exc) or exc.__class__.__name__
