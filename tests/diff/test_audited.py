"""The diff's audit (diff/outputs.py ``audited``) matches with the render's
memo of windows (publish/match_memo.py): its findings in an output are
audit_files' findings, whether a secret is in text seen before in the file
(the same note a hundred times) or not."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.diff.outputs import audited
from ambtsbericht_build.publish.audit import audit_files
from ambtsbericht_build.publish.forbidden import INTERNAL, Forbidden, phrase

SECRETS = ["Kolonel Arvid Maresh", "kamp Noordveld 7", "0612345670"]
PARAGRAPHS = [
    "Volgens Human Rights Watch, World Report 2025, hield de situatie aan.",
    "Een medewerker van een VN-organisatie meldde gevechten in het noorden.",
    "Zie ook de eerdere berichten over kamp Noordveld 7 en de omgeving.",
    "Bron: gesprek met Kolonel Arvid Maresh, 3 maart 2025.",
    "Telefoon 06-12345670 werd genoemd.",
    "De toestand bleef onveranderd.",
]


def _forbidden() -> Forbidden:
    return Forbidden(
        [phrase(INTERNAL, s, f"source vb-1 internal.who (sources.yaml:{i})") for i, s in enumerate(SECRETS)], []
    )


@settings(max_examples=12, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(range(len(PARAGRAPHS))), min_size=1, max_size=40))
def test_same_findings_as_audit_files(tmp_path_factory, picks):
    path = tmp_path_factory.mktemp("audited") / "testland.diff.html"
    body = "\n".join(f'<p id="p{i}">{html.escape(PARAGRAPHS[k])}</p>' for i, k in enumerate(picks))
    path.write_text(f'<!DOCTYPE html><html lang="nl"><head><title>T</title></head><body>{body}</body></html>')
    forbidden = _forbidden()
    assert audited(path, forbidden) == audit_files([path], forbidden, names={path: path.name})


def test_a_repeated_secret_is_found():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "testland.diff.html"
        body = "".join(f"<p>{html.escape(PARAGRAPHS[3])}</p>" for _ in range(50))
        path.write_text(f'<!DOCTYPE html><html lang="nl"><head><title>T</title></head><body>{body}</body></html>')
        found = audited(path, _forbidden())
    assert found and all(f.file == "testland.diff.html" for f in found)
