"""Red team (session 7): a YAML file's values kept as JSON (load/yaml_kept.py)
wrote out every repeat an alias makes, where the parse shares one value."""

from __future__ import annotations

from tests.cache.test_check_parts import entries, findings, settled
from tests.fixtures.report_kit import ReportDir


def test_an_alias_repeating_a_large_value_is_not_written_out_in_the_cache(report: ReportDir) -> None:
    # 200 KB named 100 times: a 20 MB entry, and its JSON in memory, before
    # the fix (the 5 MB file limit and 200,000 values allowed a terabyte)
    text = "VN: Verenigde Naties\nLANG: &lang " + "x" * 200_000 + "\n" + "".join(f"Q{i}: *lang\n" for i in range(100))
    report.write("glossary.yaml", text, dedent_text=False)
    settled(report)
    first = findings(report, cache=True)
    assert first == findings(report, cache=False)
    largest = max(p.stat().st_size for p in entries(report))
    assert largest < 2 * len(text), f"an entry of {largest:,} bytes for a file of {len(text):,}"
    assert findings(report, cache=True) == first
    # a file without aliases is still kept
    plain = "VN: Verenigde Naties\nNKC: Nationale Kiescommissie\n"
    report.write("glossary.yaml", plain)
    settled(report)
    findings(report, cache=True)
    kept = [p for p in entries(report) if b"Nationale Kiescommissie" in p.read_bytes()]
    assert kept and all(p.stat().st_size < 20 * len(plain) + 4096 for p in kept)
