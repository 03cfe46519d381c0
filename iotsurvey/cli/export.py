"""Write every file readers download, as the build does before it reads any page.

    python -m iotsurvey export _build/html/downloads

The values of every figure with their schemas, each chapter's findings, the data package as a ZIP with a
README, and the bibliography of the pages read (iotsurvey/export/files.py says what lands where).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..export import export


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip())
        return 2
    written = export(Path(argv[0]))
    print(f"{len(written)} files written under {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
