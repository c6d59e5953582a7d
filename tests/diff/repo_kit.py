"""A report in a real Git repository with two commits, for ``abuild diff``.

OLD is the report kit's report with a chapter of four paragraphs; NEW
changes exactly five things (the acceptance list of issue #12):

1. a word: "gearresteerd" becomes "vastgehouden";
2. a paragraph is deleted (the one about the curfew);
3. a note is added (a footnote in the election paragraph);
4. a source title changes (hrw-2025: "World Report 2025" -> "World Report 2025 (herzien)");
5. the ToR answer of 1.2 is marked geen-informatie (its heading gets the class).

NEW also changes the confidential source's internal field (who said it),
which no output may show, changed or not: no change, then.

The chapter is also re-wrapped in NEW (every sentence on its own line):
a re-wrapped paragraph is no change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.fixtures.report_kit import SOURCES_YAML, ReportDir, make_report

OLD_CHAPTER = """\
# Politiek en veiligheid {#h-politiek}

## Verkiezingen {#sec-verkiezingen tor="1.1"}

Op 1 maart 2025 vonden in Testland verkiezingen plaats. De oppositie
nam deel.[@hrw-2025]

Volgens HRW werden in 2025 ten minste 23 journalisten gearresteerd.[@hrw-2025, p. 12]

Na de verkiezingen gold in de hoofdstad twee weken een avondklok.[@hrw-2025, p. 14]

## Veiligheid {#sec-veiligheid tor="1.2"}

Een vertrouwelijke bron meldde gevechten in het noorden (zie [](#sec-verkiezingen)).[@vb-2025-11-04]
"""

NEW_CHAPTER = """\
# Politiek en veiligheid {#h-politiek}

## Verkiezingen {#sec-verkiezingen tor="1.1"}

Op 1 maart 2025 vonden in Testland verkiezingen plaats.
De oppositie nam deel.[@hrw-2025]^[De kiescommissie noemde een opkomst van 61 procent.[@hrw-2025, p. 3]]

Volgens HRW werden in 2025 ten minste 23 journalisten vastgehouden.[@hrw-2025, p. 12]

## Veiligheid {#sec-veiligheid tor="1.2" .geen-informatie}

Een vertrouwelijke bron meldde gevechten in het noorden (zie [](#sec-verkiezingen)).[@vb-2025-11-04]
"""

OLD_TITLE = "World Report 2025 – Testland"
NEW_TITLE = "World Report 2025 (herzien) – Testland"

OLD_WHO = "medewerker VN-organisatie, Genève"  # report_kit.SOURCES_YAML
NEW_WHO = "medewerker VN-organisatie, New York"
assert OLD_WHO in SOURCES_YAML

ISSUER = "Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten"
NEW_DATE = "2026-03-02T10:00:00+00:00"  # NEW's commit time: the tracked changes' date
NEW_EPOCH = 1772445600


@dataclass
class DiffRepo:
    report: ReportDir
    old: str  # commit ids
    new: str

    @property
    def root(self) -> Path:
        return self.report.root


def git(root: Path, *args: str, date: str = "2026-03-01T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True)
    return proc.stdout.strip()


def make_diff_repo(base: Path) -> DiffRepo:
    rd = make_report(base)
    shutil.rmtree(rd.root / ".git")  # the kit's marker: a real repository instead
    git(rd.root, "init", "-q", "-b", "main")
    (rd.root / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(rd.root, "add", ".gitignore")
    git(rd.root, "commit", "-q", "-m", "before the report")
    git(rd.root, "tag", "v0")
    rd.write("chapters/02-politiek.md", OLD_CHAPTER)
    git(rd.root, "add", "-A")
    git(rd.root, "commit", "-q", "-m", "OLD")
    old = git(rd.root, "rev-parse", "HEAD")
    git(rd.root, "tag", "v1")
    rd.write("chapters/02-politiek.md", NEW_CHAPTER)
    rd.write("sources.yaml", SOURCES_YAML.replace(OLD_TITLE, NEW_TITLE).replace(OLD_WHO, NEW_WHO))
    git(rd.root, "add", "-A")
    git(rd.root, "commit", "-q", "-m", "NEW", date=NEW_DATE)
    new = git(rd.root, "rev-parse", "HEAD")
    return DiffRepo(rd, old, new)
