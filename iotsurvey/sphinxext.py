"""The book's Sphinx extension: what happens once per build, before any chapter runs.

- Validates ``data/`` so that bad data stops the build at once, with a message
  naming file, row and column (before any notebook is executed).
- Puts the repository root on the kernels' ``PYTHONPATH`` so chapters can
  ``import iotsurvey`` without installing it.
- Repairs link addresses that MyST-Parser escapes twice.
- Keys the execution cache on a fingerprint of ``data/`` and of this package:
  myst-nb's cache looks only at code cells, so without this a change in the
  data would leave old numbers on the pages.  A new fingerprint is a new cache
  folder and a changed Sphinx setting, so every chapter is read and run again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from . import data

CACHE_PREFIX = "data-"


def _validate_and_key_cache(app: Sphinx, config) -> None:
    try:
        data.validate()
    except data.DataError as exc:
        raise ConfigError(str(exc)) from None
    os.environ[data.VALIDATED_ENV] = data.fingerprint()
    root = str(data.ROOT)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *paths])
    if config.nb_execution_mode == "cache":
        base = Path(app.outdir).parent / ".jupyter_cache"
        key = CACHE_PREFIX + data.fingerprint()
        for old in base.glob(CACHE_PREFIX + "*"):
            if old.name != key:
                shutil.rmtree(old, ignore_errors=True)
        config.nb_execution_cache_path = str(base / key)


def _unescape_link_targets(app: Sphinx, doctree: nodes.document) -> None:
    """Undo MyST-Parser 3's HTML-escaping of link targets.

    MyST-Parser escapes ``&`` in a Markdown link's address and the HTML writer
    escapes it again, so ``?a=1&b=2`` reaches the page as ``&amp;amp;b=2`` and
    the link breaks (executablebooks/MyST-Parser#760, still open; Jupyter Book 1
    pins MyST-Parser 3).  The escaping is exactly ``markdown_it``'s
    ``escapeHtml``, which ``html.unescape`` reverses.
    """
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri")
        if uri and "&" in uri:
            ref["refuri"] = html.unescape(uri)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _validate_and_key_cache, priority=100)
    app.connect("doctree-read", _unescape_link_targets)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
