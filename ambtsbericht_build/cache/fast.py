"""The render with nothing changed, decided before anything heavy is imported.

A successful render records, under the key of everything it depended on
(:func:`.inputs.fingerprint`), what it left: the manifest's sha256, the
findings of its check, the files of every format that must (not) be in the
output directory. :meth:`RenderCache.unchanged` looks that record up for
the inputs as they are now and accepts it only when the output directory
still holds exactly those files: the manifest with its sha256, every output
it lists with theirs (a deleted or tampered output means a real render),
and no other output of a registered format. A record names no input to
read (the key covers every input: :mod:`.inputs`), and it is sealed to its
key (:func:`seal`): one edited or copied under another key is ignored.

What is replayed is what the render found: the findings of the check, to
be printed as a render prints them. A render that was refused (a
confidentiality finding, a final report with errors, an unreadable
bibliography) records nothing, so a refusal is never "cached away": the
same inputs are checked and refused again. The record is stored only when
the inputs after the render are the ones before it (a file saved during
the render would otherwise tie the old inputs to outputs of the new ones).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostics, Severity
from .inputs import file_hash, fingerprint, key, read_regular, repo_root
from .store import Store, digest

if TYPE_CHECKING:
    from collections.abc import Mapping

CACHE_DIR = ("build", ".cache")
MANIFEST_MAX = 16 * 1024 * 1024  # the example's manifest is 12 kB


def seal(key: str, rec: Mapping[str, Any]) -> str:
    """The record bound to its key: a record whose findings, outputs or
    manifest were edited (or that was copied under another key) no longer
    matches and is ignored. Not a secret: someone who can write the
    repository can forge it -- but a record is only ever compared and
    printed, it names no path abuild reads beyond the output directory."""
    body = {k: v for k, v in rec.items() if k != "seal"}
    return digest("abuild-render-record", key, json.dumps(body, sort_keys=True, separators=(",", ":")))


def cache_dir(report_dir: Path) -> Path:
    """``build/.cache`` of the repository the report is in."""
    return repo_root(report_dir).joinpath(*CACHE_DIR)


def default_out_dir(report_dir: Path) -> Path:
    """Where a render writes by default (``render_report``: ``build/<slug>``)."""
    report_dir = Path(os.path.abspath(report_dir))
    return repo_root(report_dir) / "build" / report_dir.name


@dataclass
class Replay:
    """What the last render of these very inputs left and found."""

    diagnostics: Diagnostics
    outputs: dict[str, Path]
    manifest: Path


@dataclass
class RenderCache:
    """The cache of one render: where it is, and the key of its inputs as
    they were when the render started."""

    store: Store
    report_dir: Path
    out_dir: Path
    options: dict[str, Any]
    key: str = ""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, report_dir: Path, out_dir: Path | None, options: Mapping[str, Any]) -> RenderCache:
        report_dir = Path(os.path.abspath(report_dir))
        out = Path(os.path.abspath(out_dir)) if out_dir else default_out_dir(report_dir)
        rc = cls(Store(cache_dir(report_dir), repo=repo_root(report_dir)), report_dir, out, dict(options))
        rc.key = rc.current_key()
        return rc

    def current_key(self) -> str:
        return key(fingerprint(self.report_dir, self.out_dir, self.options))

    # --- the fast path ------------------------------------------------------------------

    def unchanged(self) -> Replay | None:
        """The last render of these inputs, when its outputs are all still in place."""
        rec = self.store.get_json("render", self.key)
        if not isinstance(rec, dict):
            return None
        try:
            return self._verified(rec)
        except (OSError, KeyError, TypeError, ValueError, AttributeError):
            return None  # a record that does not say what we wrote: not trusted

    def _verified(self, rec: dict[str, Any]) -> Replay | None:
        if rec.get("seal") != seal(self.key, rec):
            return None  # edited since the render stored it (its findings are the render's or nothing)
        manifest = self.out_dir / str(rec["manifest"]["file"])
        raw = read_regular(manifest, MANIFEST_MAX)
        if Path(manifest.name).name != rec["manifest"]["file"] or sha256(raw).hexdigest() != rec["manifest"]["sha256"]:
            return None
        data = json.loads(raw)
        listed = {str(o["file"]) for o in data["outputs"].values()}
        for o in data["outputs"].values():
            name = str(o["file"])
            if Path(name).name != name or file_hash(self.out_dir / name) != o["sha256"]:
                return None
        for name in rec["formats_files"]:  # a file of a format no manifest entry ties to a text
            if Path(str(name)).name != name or (name not in listed and (self.out_dir / name).exists()):
                return None
        diags = Diagnostics()
        for file, line, column, code, severity, message in rec["diagnostics"]:
            diags.add(code, Severity(severity), file, line, column, message)
        outputs = {fmt: self.out_dir / str(data["outputs"][fmt]["file"]) for fmt in rec["written"]}
        return Replay(diags, outputs, manifest)

    # --- after a render -----------------------------------------------------------------

    def record(
        self,
        diagnostics: Diagnostics,
        written: Mapping[str, Path],
        manifest: Path,
        suffixes: Mapping[str, str],
    ) -> None:
        """Remember a successful render of the inputs of :attr:`key`; nothing
        when they changed while it ran, or cannot be read now (the outputs
        are in place by then: the cache never fails a render)."""
        try:
            if self.current_key() != self.key:
                self.notes.append("cache      inputs changed during the render: not recorded")
                return
            manifest_hash = file_hash(manifest)
        except OSError:
            return
        slug = manifest.name.removesuffix(".manifest.json")
        rec = {
            "manifest": {"file": manifest.name, "sha256": manifest_hash},
            "written": list(written),  # in the order the render printed them
            "formats_files": sorted(slug + s for s in suffixes.values()),
            "diagnostics": [[d.file, d.line, d.column, d.code, d.severity.value, d.message] for d in diagnostics],
        }
        rec["seal"] = seal(self.key, rec)
        self.store.put_json("render", self.key, rec)
        self.store.evict()
