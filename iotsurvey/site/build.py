"""The build: the data checked once, the downloads exported, the execution cache keyed on what the chapters
run, and the chapters executed two at a time, each kernel on its own sockets.

Once per build, before any page is read (``config-inited``):

- validate ``data/``, so that bad data stop the build at once with file, row and column (skipped when the
  same data were validated by an earlier build: a stamp in the doctree folder);
- export the files readers download into the site's ``downloads/`` folder (:mod:`iotsurvey.export`),
  again only when what they are made from changed or a file is missing; hand the sources' bibliography to
  sphinxcontrib-bibtex;
- key myst-nb's execution cache on a digest of ``data/``, ``iotsurvey/model`` and ``iotsurvey/render``, the
  code the chapters run: a change to any of them is a new cache folder, so every chapter runs again (and a
  change to the site, the export or the command line runs none).

Before the pages are read (``env-before-read-docs``), the notebooks that have no cached execution run in
parallel, one kernel per core, through nbclient with kernels on IPC sockets (no TCP port to race for), and
are stored in the cache, where myst-nb then finds them.  A chapter that fails stops the build with one
message: a guard's sentence (:func:`iotsurvey.render.glue.claim`) without a traceback, any other error with
its cell and traceback.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging as sphinx_logging

from ..export import FOLDER, SOURCES_BIB, export
from ..model import data
from ..paths import CITATION, DATA, PACKAGE_ROOT, ROOT, digest
from .notebooks import is_notebook

LOGGER = sphinx_logging.getLogger(__name__)
CACHE_PREFIX = "key-"
VALIDATED_STAMP = ".iotsurvey-data-validated"  # in the doctree folder
EXPORT_STAMP = ".iotsurvey-exported"  # in the doctree folder


def cache_key(root: Path = ROOT) -> str:
    """What the chapters' outputs depend on: the data and the code the chapters run (model and render)."""
    package = root / PACKAGE_ROOT.name
    return digest(root / DATA.name, package / "paths.py", package / "model", package / "render")


def export_key() -> str:
    """What the downloads depend on: the chapters' inputs, the export code and the book's version."""
    return digest(
        DATA,
        PACKAGE_ROOT / "paths.py",
        PACKAGE_ROOT / "model",
        PACKAGE_ROOT / "render",
        PACKAGE_ROOT / "export",
        CITATION,
    )


def downloads(app: Sphinx) -> Path:
    """The site's folder of files to download."""
    return Path(app.outdir) / FOLDER


def _stop(message: str) -> None:
    """Say what is wrong once, without a traceback, and end the build with exit status 1."""
    print(message, file=sys.stderr)
    raise SystemExit(1)


def _validate(app: Sphinx, config) -> None:
    fingerprint = data.fingerprint()
    stamp = Path(app.doctreedir) / VALIDATED_STAMP
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == fingerprint):
        try:
            data.validate()
        except data.DataError as exc:
            _stop(str(exc))
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fingerprint, encoding="utf-8")
    os.environ[data.VALIDATED_ENV] = fingerprint  # the kernels inherit it and skip the validation


def _export(app: Sphinx, config) -> None:
    folder = downloads(app)
    key = export_key()
    stamp = Path(app.doctreedir) / EXPORT_STAMP
    listed = stamp.read_text(encoding="utf-8").splitlines() if stamp.exists() else []
    complete = listed[:1] == [key] and all((folder / name).exists() for name in listed[1:])
    if not complete:
        written = export(folder)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text("\n".join([key, *(p.relative_to(folder).as_posix() for p in written)]), encoding="utf-8")
    # sphinxcontrib-bibtex reads the sources' bibliography from the doctree folder, which the site and the PDF
    # share: the same path for every builder (its cache is keyed on the path, in the shared environment)
    shared = Path(app.doctreedir) / SOURCES_BIB
    text = (folder / SOURCES_BIB).read_bytes()
    if not shared.exists() or shared.read_bytes() != text:
        shared.parent.mkdir(parents=True, exist_ok=True)
        shared.write_bytes(text)
    bib = os.path.relpath(shared, app.confdir)
    if bib not in config.bibtex_bibfiles:
        config.bibtex_bibfiles = [*config.bibtex_bibfiles, bib]


def _key_cache(app: Sphinx, config) -> None:
    if config.nb_execution_mode != "cache":
        return
    base = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if base.name.startswith(CACHE_PREFIX):
        base = base.parent
    key = CACHE_PREFIX + cache_key()
    for old in base.glob(CACHE_PREFIX + "*"):
        if old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    config.nb_execution_cache_path = str(base / key)


def _execute_in_parallel(app: Sphinx, env, docnames: list[str]) -> None:
    """Run the notebooks about to be read that have no cached execution, one kernel per core, into the cache."""
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    todo = []
    for doc in docnames:
        path = Path(env.doc2path(doc))
        if not is_notebook(path):
            continue
        cache.add_nb_to_project(str(path), read_data={"name": "myst_nb_md", "type": "plugin"})
        notebook = cache.get_project_notebook(str(path)).nb
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            todo.append((doc, path, notebook))
    if not todo:
        return
    import asyncio

    failures = asyncio.run(_run_all(cache, todo, app.config.nb_execution_timeout))
    LOGGER.info(f"[iotsurvey] executed {len(todo) - len(failures)} notebook(s) in parallel")
    if failures:
        _stop("\n\n".join(failures))


async def _run_all(cache, todo, timeout: int) -> list[str]:
    import asyncio
    import tempfile

    slots = asyncio.Semaphore(os.cpu_count() or 2)
    sockets = tempfile.mkdtemp(prefix="iot-")  # short: a socket path has at most 107 characters

    async def one(k, doc, path, notebook):
        async with slots:
            return await _run(cache, doc, path, notebook, os.path.join(sockets, f"k{k}"), timeout)

    try:
        results = await asyncio.gather(*(one(k, *item) for k, item in enumerate(todo)))
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    return [r for r in results if r]


async def _run(cache, doc: str, path: Path, notebook, socket: str, timeout: int) -> str | None:
    """Execute one notebook and cache it; return the message that stops the build, if it fails."""
    import time

    from jupyter_cache.base import CacheBundleIn
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    kernel = AsyncKernelManager(kernel_name=notebook.metadata.kernelspec.name, transport="ipc", ip=socket)
    # record_timing=False: timings in the cell metadata would change the notebook hash the cache matches on
    client = NotebookClient(
        notebook, km=kernel, timeout=timeout, record_timing=False, resources={"metadata": {"path": str(path.parent)}}
    )
    started = time.perf_counter()
    try:
        await client.async_execute()
    except CellExecutionError as error:
        return _failure(doc, path, error)
    finally:  # the client does not own a kernel manager it was given: shut the kernel down here
        if kernel.has_kernel:
            await kernel.shutdown_kernel(now=True)
    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(path), data={"execution_seconds": time.perf_counter() - started}),
        check_validity=False,
        overwrite=True,
    )
    return None


def _failure(doc: str, path: Path, error) -> str:
    """One message for a failed chapter: a guard's sentence alone, any other error with its traceback."""
    import re

    where = os.path.relpath(path, ROOT) if path.is_relative_to(ROOT) else str(path)
    if error.ename == "ClaimError":
        return f"{where}: {error.evalue}"
    traceback = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    return f"{where}: a cell raised {error.ename}: {error.evalue}\n{traceback}"


def _rerun_on_new_key(app: Sphinx, env, added, changed, removed) -> list[str]:
    """A new cache key (data, model or render changed) makes every chapter outdated: Sphinx looks only at the
    pages' own files, and would otherwise keep the pages of the old numbers.  The key is kept in the
    environment, so an unchanged key reads nothing again."""
    key = cache_key()
    before = getattr(env, "iotsurvey_cache_key", None)
    env.iotsurvey_cache_key = key
    if before == key:
        return []
    return sorted(doc for doc in env.found_docs if is_notebook(Path(env.doc2path(doc))))


def _strict_reads_everything(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Under -W, read every page again: Sphinx checks consistency (pages missing from the table of contents, say)
    only when something was read, so a strict build after an ordinary one would pass over warnings of unchanged
    pages.  Notebooks come from the cache: this is cheap."""
    strict = app.warningiserror or getattr(app, "keep_going", False)  # -W --keep-going sets only keep_going
    return sorted(env.found_docs - set(added) - set(changed)) if strict else []


def _name_the_toc(app: Sphinx, env) -> None:
    """Say, for a page in no table of contents, which file to edit and what line to add."""
    included = set(env.files_to_rebuild) | set().union(*env.included.values()) | {env.config.root_doc}
    for docname in sorted(env.found_docs - included):
        if "orphan" not in env.metadata.get(docname, {}):
            LOGGER.warning(
                f"{docname} is not in _toc.yml: add the line '- file: {docname}' to a part's chapters in _toc.yml "
                "(or delete the file)",
                location=docname,
            )


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _validate, priority=100)
    app.connect("config-inited", _export, priority=110)
    app.connect("config-inited", _key_cache, priority=120)
    app.connect("env-before-read-docs", _execute_in_parallel)
    app.connect("env-get-outdated", _rerun_on_new_key)
    app.connect("env-get-outdated", _strict_reads_everything)
    app.connect("env-check-consistency", _name_the_toc)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
