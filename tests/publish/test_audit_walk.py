"""``abuild audit DIR`` reads every file under DIR of a kind it knows,
hidden files and directories included (a killed render's staging directory,
or the ``.abuild-tmp-*`` an older abuild left inside the output directory),
and says how many files it read and how many it could not."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .conftest import abuild_cmd

WHO = "Informant Wielewaal-7731 bij de havenpolitie van Noordstad"


def test_audit_of_a_directory_reads_hidden_directories_and_every_known_kind(leaky, tmp_path):
    _, report, outputs = leaky
    out = tmp_path / "build"
    out.mkdir()
    for p in outputs.values():
        shutil.copy(p, out / p.name)
    hidden = out / ".abuild-tmp-x1"
    hidden.mkdir()
    html = outputs["html"].read_text(encoding="utf-8").replace("</main>", f"<p>{WHO}</p></main>")
    (hidden / "leaky.html").write_text(html, encoding="utf-8")
    deep = out / ".staging" / "sub"
    deep.mkdir(parents=True)
    (deep / "document.json").write_text(json.dumps({"blocks": [{"t": "Str", "c": WHO}]}), encoding="utf-8")
    (out / ".notes.txt").write_text(f"{WHO}\n", encoding="utf-8")
    (out / "kaart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (out / "loop").symlink_to(out)  # not followed
    proc = subprocess.run(
        [*abuild_cmd(), "audit", str(out), "--report", str(report)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    flagged = {line.split(":", 1)[0] for line in proc.stdout.splitlines() if "internal field" in line}
    assert {Path(f).name for f in flagged} == {"leaky.html", "document.json", ".notes.txt"}, proc.stdout
    assert any(".abuild-tmp-x1" in f for f in flagged) and any(".staging" in f for f in flagged)
    files = len(outputs) + 3
    assert f"in {files} file(s)" in proc.stderr, proc.stderr
    assert "1 other file(s) not read" in proc.stderr
    assert "Wielewaal" not in proc.stdout + proc.stderr
