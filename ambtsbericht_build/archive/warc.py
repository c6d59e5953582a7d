"""Writing a capture as a WARC file, and reading one back.

WARC (ISO 28500) is the format web archives keep pages in, so that a copy
can be opened with any replay tool (pywb, ReplayWeb.page) years later. Each
exchange is a ``request`` record and a ``response`` record (the HTTP status
line, headers and body as received), the response with its
``WARC-Payload-Digest``; a ``warcinfo`` record says what made the file.
warcio writes and reads the records.

The file is written beside its final name and renamed into place once
complete (:func:`os.replace`): an interrupted capture leaves no half file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .. import __version__
from .fetch import Exchange


def warc_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write(path: Path, hops: list[Exchange], captured: dt.datetime) -> None:
    """Write ``hops`` (one source's exchanges) to the WARC file ``path`` atomically."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            w = WARCWriter(fh, gzip=True)
            date = warc_date(captured)
            info = {"software": f"abuild {__version__} (abuild archive)", "format": "WARC File Format 1.0"}
            w.write_record(w.create_warcinfo_record(path.name, info))
            for hop in hops:
                response = w.create_warc_record(
                    hop.url,
                    "response",
                    payload=io.BytesIO(hop.body),
                    length=len(hop.body),
                    http_headers=StatusAndHeaders(
                        f"{hop.status} {hop.reason}".strip(), hop.headers, protocol="HTTP/1.1"
                    ),
                    warc_headers_dict={"WARC-Date": date},
                )
                request = w.create_warc_record(
                    hop.url,
                    "request",
                    http_headers=StatusAndHeaders(hop.request_line, hop.request_headers, is_http_request=True),
                    warc_headers_dict={"WARC-Date": date},
                )
                w.write_request_response_pair(request, response)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class Record:
    type: str
    uri: str
    status: int | None  # of a response record
    length: int  # bytes of the record's content, read to its end


class Unreadable(Exception):
    """A WARC file that does not read back: the message says where."""


def read(path: Path) -> list[Record]:
    """Every record of a WARC file, each read to its end with its digests
    checked (warcio's ``check_digests``): a changed byte is an error."""
    out: list[Record] = []
    try:
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh, check_digests="raise"):
                content = rec.content_stream()
                length = 0
                while block := content.read(1 << 16):
                    length += len(block)
                status = None
                if rec.rec_type == "response" and rec.http_headers is not None:
                    code = rec.http_headers.get_statuscode()
                    status = int(code) if code and code.isdigit() else None
                uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                out.append(Record(rec.rec_type, uri, status, length))
    except ArchiveLoadFailed as exc:
        raise Unreadable(f"{path.name}: record {len(out) + 1} does not read back ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - a hostile file may break warcio anywhere (zlib, header parser)
        raise Unreadable(
            f"{path.name}: record {len(out) + 1} does not read back ({exc.__class__.__name__}: {exc})"
        ) from None
    if not out:
        raise Unreadable(f"{path.name} holds no WARC record")
    return out
