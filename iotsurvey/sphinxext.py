"""The book's Sphinx extension: everything done once per build or once per page.

Once per build, before any chapter is read:

- validate ``data/`` so that bad data stops the build at once, with a message
  naming file, row and column (skipped when the same data and code, by
  fingerprint, were validated by an earlier build);
- put the repository root on the kernels' ``PYTHONPATH`` so chapters can
  ``import iotsurvey`` without installing it;
- key the execution cache on a fingerprint of the code the chapters run
  (myst-nb's cache looks only at code cells; a new fingerprint is a new cache
  folder and a changed setting, so every chapter is read and run again);
- after a change to ``data/``, drop the cached executions of the chapters that
  read what changed, and only those (``iotsurvey.reads``), and read them again;
- write the survey's sources as a BibTeX file for sphinxcontrib-bibtex, and
  the data package as a ZIP for download;
- execute the notebooks about to be read in parallel, into the cache.

Once per page, in modules of their own: the figures' other renderings, glossary links,
meta description and print header (``pages.py``); citation blocks and their downloads
(``citing.py``); theme work (``theme.py``); the edition's metadata and the PDF's numbering
(``edition.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging as sphinx_logging

from . import data, edition, reads, stylesheets
from .citing import CitationDirective, _fill_citations, citation_placeholder, sources_bibtex
from .pages import (
    _add_figure_looks,
    _link_first_uses,
    _merge_descriptions,
    _page_context,
    _purge_description,
    _record_description,
    _unescape_link_targets,
)
from .paths import DOWNLOADS_FOLDER, FIGURES_FOLDER, PACKAGE_ZIP, SOURCES_BIB
from .theme import _drop_thebe_config, _drop_unused_assets, _static_path, _write_icons

LOGGER = sphinx_logging.getLogger(__name__)


CACHE_PREFIX = "data-"


def build_dir(app: Sphinx) -> Path:
    """``_build``: the folder that holds the site, the cache and generated files."""
    return Path(app.outdir).parent


VALIDATED_STAMP = ".data-validated"  # in _build: the fingerprint of the data last validated


def _validate_and_key_cache(app: Sphinx, config) -> None:
    fingerprint = data.fingerprint()
    stamp = build_dir(app) / VALIDATED_STAMP
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == fingerprint):
        try:
            data.validate()
        except data.DataError as exc:
            # Said once, without a traceback (a ConfigError is printed twice by jupyter-book): exit status 1.
            print(str(exc), file=sys.stderr)
            raise SystemExit(1) from None
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fingerprint, encoding="utf-8")
    os.environ[data.VALIDATED_ENV] = fingerprint
    _quiet_kernels(build_dir(app))
    root = str(data.ROOT)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *paths])
    if config.nb_execution_mode == "cache":
        base = build_dir(app) / ".jupyter_cache"
        key = CACHE_PREFIX + data.code_fingerprint()
        for old in base.glob(CACHE_PREFIX + "*"):
            if old.name != key:
                shutil.rmtree(old, ignore_errors=True)
        cache = base / key
        missing = missing_generated_files(build_dir(app), cache)
        if missing:
            # The cache restores cells, not the files they wrote (figures, CSVs): run every chapter again.
            LOGGER.info(
                f"iotsurvey: {len(missing)} file(s) the chapters wrote are missing (for example "
                f"_build/{missing[0]}); running every chapter again"
            )
            shutil.rmtree(cache, ignore_errors=True)
        config.nb_execution_cache_path = str(cache)
        os.environ[reads.RECORDS_ENV] = str(cache / READS_FOLDER)
        _drop_stale_executions(cache, fingerprint)


READS_FOLDER = "reads"  # in the cache folder: what each chapter read (iotsurvey.reads)
CHECKED = "data-checked"  # in the cache folder: the data fingerprint the executions were last checked against
REREAD = "reread.json"  # in the cache folder: notebooks whose executions were dropped, until a build reads them


def _drop_stale_executions(cache: Path, fingerprint: str) -> None:
    """After a change to data/, drop the cached executions of the chapters that read what changed.

    Each chapter's record says what it read (``iotsurvey.reads``); a chapter without one (the front
    page, or a chapter that does not end with ``show_chapter_data``) counts as having read everything.
    Only each notebook's newest execution is kept (an older one may have read other things).  The
    dropped notebooks are read again by this build, or the next if this one stops first.
    """
    checked = cache / CHECKED
    if not cache.exists() or (checked.exists() and checked.read_text(encoding="utf-8") == fingerprint):
        return
    from jupyter_cache import get_cache

    executions = get_cache(str(cache))
    records = sorted(executions.list_cache_records(), key=lambda r: r.pk)
    notebooks = sorted({Path(r.uri).resolve() for r in records})
    stale = set(reads.stale(cache / READS_FOLDER, notebooks))
    newest = {Path(r.uri).resolve(): r.pk for r in records}
    for record in records:
        notebook = Path(record.uri).resolve()
        if notebook in stale or newest[notebook] != record.pk:
            executions.remove_cache(record.pk)
    reread = cache / REREAD
    earlier = set(json.loads(reread.read_text(encoding="utf-8"))) if reread.exists() else set()
    reread.write_text(json.dumps(sorted(earlier | {str(p) for p in stale}), indent=0), encoding="utf-8")
    checked.write_text(fingerprint, encoding="utf-8")
    if notebooks:
        names = ", ".join(p.stem for p in sorted(stale)) or "none"
        LOGGER.info(
            f"iotsurvey: data/ changed; {len(stale)} of {len(notebooks)} executed notebook(s) read what "
            f"changed and run again: {names}"
        )


def _reread_dropped(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages whose cached execution was dropped: Sphinx sees no change in their source."""
    if app.config.nb_execution_mode != "cache":
        return []
    reread = Path(app.config.nb_execution_cache_path) / REREAD
    if not reread.exists():
        return []
    return sorted({doc for path in json.loads(reread.read_text(encoding="utf-8")) if (doc := _page_of(env, path))})


def _page_of(env, path: str) -> str | None:
    """The page a cached notebook's path names, also when the book has moved since it ran (the
    cache keeps the path of the run): the page whose source path the old path ends with."""
    doc = env.path2doc(path)
    if doc in env.found_docs:
        return doc
    ends = [d for d in env.found_docs if Path(path).as_posix().endswith("/" + Path(env.doc2path(d, False)).as_posix())]
    return max(ends, key=len) if ends else None


GENERATED = (FIGURES_FOLDER, DOWNLOADS_FOLDER)  # folders under _build that chapter cells write into


MANIFEST = "generated-files.json"  # in the cache folder: what the cached executions wrote


KERNEL_CONFIG = "c.IPKernelApp.log_level = 40  # errors only: no per-kernel notice about its local TCP sockets\n"


def _quiet_kernels(build: Path) -> None:
    """The chapters' kernels log errors only.

    Every ipykernel warns at start-up that it talks to the build over local TCP without encryption,
    once per chapter; the kernels read their configuration from IPYTHONDIR, which the build points
    at a folder of its own under _build.  Errors in cells are outputs, not log lines: they still
    stop the build.
    """
    profile = build / ".ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    config = profile / "ipython_kernel_config.py"
    if not config.exists() or config.read_text(encoding="utf-8") != KERNEL_CONFIG:
        config.write_text(KERNEL_CONFIG, encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(build / ".ipython")


def generated_files(build: Path) -> list[str]:
    return sorted(
        p.relative_to(build).as_posix()
        for folder in GENERATED
        for p in (build / folder).rglob("*")
        if p.is_file() and p.name not in (SOURCES_BIB, PACKAGE_ZIP)
    )  # those two the extension writes


def missing_generated_files(build: Path, cache: Path) -> list[str]:
    """Files the cached executions wrote that are no longer there (after `jupyter-book clean`, say).

    A cache without a manifest but with executed notebooks counts as missing
    everything if the figures folder is gone.
    """
    if not cache.exists():
        return []
    manifest = cache / MANIFEST
    if manifest.exists():
        return [name for name in json.loads(manifest.read_text(encoding="utf-8")) if not (build / name).exists()]
    return [] if (build / FIGURES_FOLDER).exists() or not any(cache.iterdir()) else [FIGURES_FOLDER + "/"]


def _strict_reads_everything(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Under -W, read every page again: Sphinx checks consistency (pages missing from the table of
    contents, say) only when something was read, so a strict build after an ordinary one would
    otherwise pass over warnings of unchanged pages.  Notebooks come from the cache: this is cheap."""
    strict = app.warningiserror or getattr(app, "keep_going", False)  # -W --keep-going sets only keep_going
    return sorted(env.found_docs - set(added) - set(changed)) if strict else []


def _name_the_toc(app: Sphinx, env) -> None:
    """Say, for a page in no table of contents, which file to edit and what line to add."""
    included = set(env.files_to_rebuild) | set().union(*env.included.values()) | {env.config.root_doc}
    for docname in sorted(env.found_docs - included):
        if "orphan" not in env.metadata.get(docname, {}):
            LOGGER.warning(
                f"{docname} is not in _toc.yml: add the line '- file: {docname}' to a part's chapters "
                "in _toc.yml (or delete the file)",
                location=docname,
            )


def _record_generated_files(app: Sphinx, exception) -> None:
    """After a successful build, note in the cache folder which files the chapters wrote."""
    if exception is not None or app.config.nb_execution_mode != "cache":
        return
    cache = Path(app.config.nb_execution_cache_path)
    if cache.exists():
        (cache / MANIFEST).write_text(json.dumps(generated_files(build_dir(app)), indent=0), encoding="utf-8")
        (cache / REREAD).unlink(missing_ok=True)
        # every execution this build used was checked against, or run on, the data as it is now
        (cache / CHECKED).write_text(os.environ[data.VALIDATED_ENV], encoding="utf-8")


def _write_generated_files(app: Sphinx, config) -> None:
    """The sources bibliography (read by sphinxcontrib-bibtex) and the data package ZIP."""
    folder = build_dir(app) / DOWNLOADS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    bib = folder / SOURCES_BIB
    stamp = f"% data fingerprint {os.environ[data.VALIDATED_ENV]}\n"
    if not bib.exists() or not bib.read_text(encoding="utf-8").startswith(stamp):
        bib.write_text(stamp + sources_bibtex(), encoding="utf-8")
    relative = os.path.relpath(bib, app.confdir)
    if relative not in config.bibtex_bibfiles:
        config.bibtex_bibfiles = [*config.bibtex_bibfiles, relative]
    write_package_zip(folder / PACKAGE_ZIP)


def write_package_zip(path: Path) -> None:
    """data/ as a ZIP that is byte-identical from build to build (fixed dates, sorted names)."""
    names = sorted(p.name for p in data.DATA.iterdir() if p.suffix in (".csv", ".json", ".md"))
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(f"iot-survey-data/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (data.DATA / name).read_bytes())
    if path.exists() and path.read_bytes() == tmp.read_bytes():
        tmp.unlink()
    else:
        tmp.replace(path)


def is_notebook(path: Path) -> bool:
    """A MyST Markdown notebook: a Markdown file whose front matter declares a Jupyter kernel."""
    if path.suffix != ".md" or not path.exists():
        return False
    head = path.read_text(encoding="utf-8")[:400]
    return head.startswith("---") and "kernelspec:" in head


def _execute_in_parallel(app: Sphinx, env, docnames: list[str]) -> None:
    """Run the notebooks about to be read on every core, filling the execution cache first.

    myst-nb executes one notebook at a time while Sphinx reads; on two cores
    that leaves one idle.  Executing the outdated notebooks beforehand with
    jupyter-cache's parallel executor means myst-nb then finds every result in
    the cache.  A notebook that fails here is simply not cached: myst-nb runs it
    again and reports the error with its traceback, and the build stops.
    """
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    paths = [Path(env.doc2path(doc)) for doc in docnames]
    paths = [p for p in paths if is_notebook(p)]
    if len(paths) < 2:
        return
    cache = get_cache(app.config.nb_execution_cache_path)
    for path in paths:
        cache.add_nb_to_project(str(path), read_data={"name": "myst_nb_md", "type": "plugin"})
    executor = load_executor("local-parallel", cache=cache)
    result = executor.run_and_cache(
        filter_uris=[str(p) for p in paths], timeout=app.config.nb_execution_timeout, allow_errors=False
    )
    done = len(result.succeeded)
    if done or result.errored or result.excepted:
        from sphinx.util import logging

        names = ", ".join(sorted(Path(uri).stem for uri in result.succeeded))
        logging.getLogger(__name__).info(
            f"[iotsurvey] executed {done} notebook(s) in parallel ({names}); "
            f"{len(result.errored) + len(result.excepted)} left to myst-nb to report"
        )


def setup(app: Sphinx) -> dict:
    edition.setup(app)
    stylesheets.setup(app)
    app.connect("config-inited", _validate_and_key_cache, priority=100)
    app.connect("config-inited", _write_generated_files, priority=110)
    app.connect("config-inited", _static_path)
    app.connect("env-before-read-docs", _execute_in_parallel)
    app.connect("doctree-read", _unescape_link_targets)
    app.connect("doctree-read", _add_figure_looks, priority=400)
    app.connect("doctree-read", _record_description)
    app.connect("env-merge-info", _merge_descriptions)
    app.connect("env-purge-doc", _purge_description)
    app.connect("doctree-resolved", _fill_citations)
    app.connect("doctree-resolved", _link_first_uses, priority=950)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    app.connect("html-page-context", _page_context)
    app.connect("html-page-context", _drop_unused_assets)
    app.connect("build-finished", _write_icons)
    app.connect("build-finished", _record_generated_files)
    app.connect("env-get-outdated", _strict_reads_everything)
    app.connect("env-get-outdated", _reread_dropped)
    app.connect("env-check-consistency", _name_the_toc)
    app.add_node(citation_placeholder)
    app.add_directive("citation", CitationDirective)
    app.add_css_file("iotsurvey.css")
    app.add_js_file("iotsurvey.js", loading_method="defer")
    app.add_css_file("icons.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
