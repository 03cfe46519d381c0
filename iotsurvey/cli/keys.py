"""List a chapter's glue keys and their values, computed now from data/ (no build needed).

    python -m iotsurvey keys awareness          # the keys of chapters/awareness.md
    python -m iotsurvey keys index N01          # only keys that start with "N01"

Each key is what a sentence pastes with {glue:text}`<key>`; the grammar is documented in
iotsurvey/render/glue.py.  The command runs the chapter's hidden cells (those that glue and guard) in a fresh
Python and prints every key they glue, in order.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ..paths import ROOT
from ..render.glue import RECORDER_ENV

CELL = re.compile(r"^```\{code-cell\} python\n(?P<body>.*?)^```$", re.M | re.S)


def hidden_cells(chapter: Path) -> list[str]:
    """The code of a chapter's cells that glue and guard (tagged remove-cell), in order."""
    cells = []
    for match in CELL.finditer(chapter.read_text(encoding="utf-8")):
        body = match["body"]
        if body.startswith("---\n"):  # options as a YAML block
            options, _, code = body[4:].partition("\n---\n")
            lines, hidden = code.splitlines(), "remove-cell" in options
        else:  # options as :key: lines
            lines = body.splitlines()
            hidden = any("remove-cell" in line for line in lines if line.startswith(":"))
            lines = [line for line in lines if not line.startswith(":")]
        if hidden:
            cells.append("\n".join(lines))
    return cells


def chapter_keys(chapter: str) -> list[tuple[str, str]]:
    path = ROOT / (f"{chapter}.md" if chapter == "index" or "/" in chapter else f"chapters/{chapter}.md")
    if not path.exists():
        raise SystemExit(f"no chapter {path.relative_to(ROOT)}")
    code = "\n\n".join(hidden_cells(path))
    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / "keys.tsv"
        env = {**os.environ, RECORDER_ENV: str(record), "MPLBACKEND": "Agg"}
        result = subprocess.run([sys.executable, "-c", code], cwd=path.parent, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(result.stderr.strip())
        lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return [tuple(line.split("\t", 1)) for line in lines]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip())
        return 2
    prefix = argv[1] if len(argv) > 1 else ""
    keys = [(k, v) for k, v in chapter_keys(argv[0]) if k.startswith(prefix)]
    width = max((len(k) for k, _ in keys), default=0)
    for key, value in keys:
        print(f"{key.ljust(width)}  {value}")
    print(f"{len(keys)} key(s)", file=sys.stderr)
    return 0
