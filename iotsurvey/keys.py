"""List a chapter's glue keys and their values, as the last build computed them.

    python -m iotsurvey.keys awareness          # keys of chapters/awareness.md
    python -m iotsurvey.keys index N01          # only keys that start with "N01"

Each key is what a sentence pastes with {glue:text}`<key>`; the grammar is documented in
iotsurvey/glue.py.  Needs a build first (`make site`): the values are read from
_build/jupyter_execute/<chapter>.glue.json, which myst-nb writes.
"""

from __future__ import annotations

import ast
import json
import sys

from .paths import BUILD, ROOT


def chapter_keys(chapter: str) -> dict[str, object]:
    doc = chapter if chapter == "index" or "/" in chapter else f"chapters/{chapter}"
    if not (ROOT / f"{doc}.md").exists():
        raise SystemExit(f"no chapter {doc}.md")
    path = BUILD / "jupyter_execute" / f"{doc}.glue.json"
    if not path.exists():
        raise SystemExit(f"{path.relative_to(ROOT)} is missing: build the book first (make site)")
    glued = json.loads(path.read_text(encoding="utf-8"))
    values = {}
    for key, item in glued.items():
        text = item["data"].get("text/plain", "")
        try:
            values[key] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values[key] = text
    return values


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip())
        return 2
    prefix = argv[1] if len(argv) > 1 else ""
    keys = {k: v for k, v in chapter_keys(argv[0]).items() if k.startswith(prefix)}
    width = max((len(k) for k in keys), default=0)
    for key, value in keys.items():
        print(f"{key.ljust(width)}  {value!r}")
    print(f"{len(keys)} key(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
