"""What a writer process imports: only what writing needs."""

from __future__ import annotations

import subprocess
import sys


def test_the_writer_processes_do_not_import_the_report_models():
    """Every writer process imports the formats' registry (render/formats/)
    and the render facts, and nothing there needs the report's models:
    pydantic came in through the colofon's review steps (render/colofon.py,
    which the main process alone runs), an import each of the four writer
    processes paid for on every render."""
    code = (
        "import sys\n"
        "from ambtsbericht_build.render import worker\n"
        "from ambtsbericht_build.render.facts import RenderFacts\n"
        "from ambtsbericht_build.render.formats import WRITERS\n"
        "assert set(WRITERS) >= {'html', 'pdf', 'docx', 'odt'}, WRITERS\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m.endswith('.models')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
