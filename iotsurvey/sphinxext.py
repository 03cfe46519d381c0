"""The book's Sphinx extension: everything done once per build or once per page.

Once per build, before any chapter is read:

- validate ``data/`` so that bad data stops the build at once, with a message
  naming file, row and column (skipped when the same data and code, by
  fingerprint, were validated by an earlier build);
- put the repository root on the kernels' ``PYTHONPATH`` so chapters can
  ``import iotsurvey`` without installing it;
- key the execution cache on a fingerprint of ``data/`` and of this package
  (myst-nb's cache looks only at code cells; a new fingerprint is a new cache
  folder and a changed setting, so every chapter is read and run again);
- write the survey's sources as a BibTeX file for sphinxcontrib-bibtex, and
  the data package as a ZIP for download;
- execute the notebooks about to be read in parallel, into the cache.

Once per page:

- a "Cite this chapter" block generated from CITATION.cff (one mechanism for
  every page; the how-to-cite page uses the same code through the
  ``citation`` directive);
- a meta description from the page's first paragraph;
- no third-party assets: the theme's 1.5 MB icon script is replaced by a small
  stylesheet of the icons the pages use, and the unused Thebe, toggle-button
  and sphinx-design assets are dropped;
- link addresses that MyST-Parser escapes twice are repaired.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging as sphinx_logging


from . import citation, data, edition

LOGGER = sphinx_logging.getLogger(__name__)
CACHE_PREFIX = "data-"
STATIC = Path(__file__).resolve().parent / "static"
DOWNLOADS = "downloads"  # folder under _build for generated downloads
PACKAGE_ZIP = data.PACKAGE_ZIP
SOURCES_BIB = "sources.bib"
UNUSED_SCRIPTS = ("sphinx-thebe.js", "togglebutton.js", "design-tabs.js")
UNUSED_SCRIPT_BODIES = ("THEBE_JS_URL", "togglebutton", "toggleHint", "toggleOpenOnPrint")
UNUSED_STYLES = ("sphinx-thebe.css", "togglebutton.css", "sphinx-design.min.css")


def build_dir(app: Sphinx) -> Path:
    """``_build``: the folder that holds the site, the cache and generated files."""
    return Path(app.outdir).parent


# ---------------------------------------------------------------------------
# Once per build


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
    root = str(data.ROOT)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *paths])
    if config.nb_execution_mode == "cache":
        base = build_dir(app) / ".jupyter_cache"
        key = CACHE_PREFIX + fingerprint
        for old in base.glob(CACHE_PREFIX + "*"):
            if old.name != key:
                shutil.rmtree(old, ignore_errors=True)
        cache = base / key
        missing = missing_generated_files(build_dir(app), cache)
        if missing:
            # The cache restores cells, not the files they wrote (figures, CSVs): run every chapter again.
            LOGGER.info(f"iotsurvey: {len(missing)} file(s) the chapters wrote are missing (for example "
                        f"_build/{missing[0]}); running every chapter again")
            shutil.rmtree(cache, ignore_errors=True)
        config.nb_execution_cache_path = str(cache)


GENERATED = ("figures", DOWNLOADS)  # folders under _build that chapter cells write into
MANIFEST = "generated-files.json"  # in the cache folder: what the cached executions wrote


def generated_files(build: Path) -> list[str]:
    return sorted(p.relative_to(build).as_posix() for folder in GENERATED for p in (build / folder).rglob("*")
                  if p.is_file() and p.name not in (SOURCES_BIB, PACKAGE_ZIP))  # those two the extension writes


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
    return [] if (build / "figures").exists() or not any(cache.iterdir()) else ["figures/"]


FIGURE_URI = re.compile(r"_build/figures/[^/]+\.svg$")
LOOKS = (("", "wide", "light"), ("-dark", "wide", "dark"), ("-narrow", "narrow", "light"), ("-narrow-dark", "narrow", "dark"))


def _add_figure_looks(app: Sphinx, doctree: nodes.document) -> None:
    """Beside each chart's light, desktop image, the dark and phone renderings that the chapter wrote.

    The browser shows one: the page's stylesheet picks by theme (light or dark) and by width.
    Class ``dark-light`` keeps the theme from dimming them or painting them white in the dark
    theme; only the image shown first is loaded eagerly.  Runs before Sphinx collects images,
    so every rendering is copied to the site like any other image.
    """
    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        if not FIGURE_URI.search(uri) or "iot-look" in image.get("classes", []):
            continue
        parent, index = image.parent, image.parent.index(image)
        for k, (suffix, width, scheme) in enumerate(LOOKS):
            copy = image if not suffix else image.deepcopy()
            copy["uri"] = uri[:-4] + suffix + ".svg"
            copy["classes"] = [c for c in image.get("classes", []) if not c.startswith("iot-")] + [
                "iot-look", f"iot-{width}", f"iot-{scheme}", "dark-light"]
            if suffix:
                copy["loading"] = "lazy"
                parent.insert(index + k, copy)


GLOSSARY_DOC = "chapters/glossary"
# Each glossary term, and the phrases that count as a use of it (the first in document order is linked).
GLOSSARY_TERMS = {
    "modelled interval": (r"modelled(?: 95%)? intervals?", r"modelled\b"),
    "wilson interval": (r"Wilson(?: score)? intervals?",),
    "newcombe interval": (r"Newcombe(?: hybrid score)? intervals?",),
    "design effect": (r"design effects?",),
    "equal split": (r"equal split",),
    "rounding band": (r"rounding band", r"(?:allowed|allowing) for (?:the )?rounding"),
    "single source": (r"single[- ]source",),
    "bound": (r"\bbounds?\b",),
    "base": (r"\bbases?\b",),
}
_SKIP_TERM_IN = (nodes.title, nodes.reference, nodes.literal, nodes.literal_block, nodes.raw, nodes.term,
                 nodes.field_name, nodes.rubric)


def _link_first_uses(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Link the first use of each glossary term on a page to its definition (HTML only)."""
    if app.builder.format != "html" or docname == GLOSSARY_DOC:
        return
    terms = {name.lower(): place for (kind, name), place in app.env.get_domain("std").objects.items() if kind == "term"}
    patterns = {}
    for term, phrases in GLOSSARY_TERMS.items():
        found = terms.get(term)
        if found:
            target = app.builder.get_relative_uri(docname, found[0]) + "#" + found[1]
            patterns[term] = (re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE), target)
    for text in list(doctree.findall(nodes.Text)):
        if not patterns:
            return
        parent = text.parent
        if parent is None or any(isinstance(a, _SKIP_TERM_IN) or {"cite-this", "citation-example"} & set(a.get("classes", []))
                                 for a in _ancestors(text)):
            continue
        hits = sorted((m.start(), m.end(), term) for term, (pattern, _) in patterns.items()
                      for m in [pattern.search(str(text))] if m)
        if not hits:
            continue
        pieces, position, used = [], 0, set()
        source = str(text)
        for start, end, term in hits:
            if start < position or term in used:
                continue
            pieces.append(nodes.Text(source[position:start]))
            pieces.append(nodes.reference("", source[start:end], refuri=patterns[term][1], internal=True,
                                          classes=["iot-term"], reftitle=f"Glossary: {term}"))
            position, used = end, used | {term}
        pieces.append(nodes.Text(source[position:]))
        parent.replace(text, [p for p in pieces if not (isinstance(p, nodes.Text) and not str(p))])
        for term in used:
            patterns.pop(term)


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


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
            LOGGER.warning(f"{docname} is not in _toc.yml: add the line '- file: {docname}' to a part's chapters "
                           "in _toc.yml (or delete the file)", location=docname)


def _record_generated_files(app: Sphinx, exception) -> None:
    """After a successful build, note in the cache folder which files the chapters wrote."""
    if exception is not None or app.config.nb_execution_mode != "cache":
        return
    cache = Path(app.config.nb_execution_cache_path)
    if cache.exists():
        (cache / MANIFEST).write_text(json.dumps(generated_files(build_dir(app)), indent=0), encoding="utf-8")


def _bib_text(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", " ".join(str(text).split()))


def sources_bibtex() -> str:
    """Every page in data/sources.csv as a BibTeX entry keyed ``src-<source_id>``."""
    from .survey import LANGUAGES, load

    entries = []
    for source in load().sources.values():
        year = str(source.date.year) if source.date else (re.findall(r"\b(20\d\d)\b", source.date_note or "") or ["n.d."])[0]
        entries.append("\n".join([
            f"@misc{{src-{source.id},",
            f"  author       = {{{{{_bib_text(source.outlet)}}}}},",
            f"  title        = {{{{{_bib_text(source.description)}}}}},",
            f"  year         = {{{year}}},",
            f"  note         = {{{_bib_text(source.when)}; in {_bib_text(LANGUAGES[source.language])}}},",
            f"  url          = {{{source.url}}}",
            "}",
        ]))
    from .peers import load as load_peers

    peers = load_peers()
    for page in peers.sources.values():
        figures = [f for f in peers.figures.values() if page in f.sources]
        first = figures[0]
        years = re.findall(r"\b(20\d\d)\b", first.survey.published) or ["n.d."]
        mirror = "; a mirror copy, not the publisher's page" if page.mirror else ""
        entries.append("\n".join([
            f"@misc{{ctx-{page.id},",
            f"  author       = {{{{{_bib_text(page.site)}}}}},",
            f"  title        = {{{{{_bib_text(first.survey.name + ': ' + first.wording)}}}}},",
            f"  year         = {{{years[0]}}},",
            f"  note         = {{States {len(figures)} figure(s) of the {_bib_text(first.survey.name)} survey{mirror}}},",
            f"  url          = {{{page.url}}}",
            "}",
        ]))
    return "\n\n".join(entries) + "\n"


def _write_generated_files(app: Sphinx, config) -> None:
    """The sources bibliography (read by sphinxcontrib-bibtex) and the data package ZIP."""
    folder = build_dir(app) / DOWNLOADS
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
    result = executor.run_and_cache(filter_uris=[str(p) for p in paths], timeout=app.config.nb_execution_timeout,
                                    allow_errors=False)
    done = len(result.succeeded)
    if done or result.errored or result.excepted:
        from sphinx.util import logging

        logging.getLogger(__name__).info(
            f"[iotsurvey] executed {done} notebook(s) in parallel; "
            f"{len(result.errored) + len(result.excepted)} left to myst-nb to report")


# ---------------------------------------------------------------------------
# Citation blocks


class citation_placeholder(nodes.General, nodes.Element):
    """Filled in at doctree-resolved, when every page's title and figure number is known."""


class CitationDirective(Directive):
    """``{citation} book | data | <docname> [<figure name>]``: a generated citation."""

    required_arguments = 1
    optional_arguments = 1

    def run(self):
        node = citation_placeholder()
        node["target"] = self.arguments[0]
        node["figure"] = self.arguments[1] if len(self.arguments) > 1 else ""
        return [node]


def _book(app: Sphinx) -> citation.Book:
    return citation.load(site_url=app.config.html_baseurl)


CITE_FOLDER = "_downloads/cite"  # under the site: each citation as .bib, .ris and .json (CSL-JSON)


def _citation_files(app: Sphinx, cite: citation.Citation) -> dict[str, str]:
    """Write the citation's three files into the site; their paths from the site's root, by format."""
    if app.builder.format != "html":
        return {}
    folder = Path(app.outdir) / CITE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    files = {"BibTeX": (".bib", cite.bibtex + "\n"), "RIS": (".ris", cite.ris),
             "CSL-JSON": (".json", json.dumps([cite.item], indent=2, ensure_ascii=False) + "\n")}
    paths = {}
    for name, (suffix, text) in files.items():
        path = folder / (cite.key + suffix)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths[name] = f"{CITE_FOLDER}/{cite.key}{suffix}"
    return paths


def _citation_nodes(app: Sphinx, docname: str, cite: citation.Citation, heading: str | None,
                    ids: list[str]) -> list[nodes.Node]:
    paragraph = nodes.paragraph(classes=["cite-reference"])
    text = cite.reference.replace(cite.url, "").rstrip() if cite.url else cite.reference
    for k, piece in enumerate(text.split("*")):
        paragraph += nodes.emphasis(text=piece) if k % 2 else nodes.Text(piece)
    if cite.url:
        paragraph += nodes.Text(" ")
        paragraph += nodes.reference(cite.url, cite.url, refuri=cite.url)
    bibtex = nodes.literal_block(cite.bibtex, cite.bibtex, language="bibtex", classes=["cite-bibtex"])
    container = nodes.container(classes=["cite-this" if heading else "citation-example"])
    if heading:
        # raw HTML, not a Sphinx section: a section added this late would be given the page's own number
        anchor = ids[0]
        container += nodes.raw("", f'<h2 id="{anchor}">{html.escape(heading)}<a class="headerlink" '
                                   f'href="#{anchor}" title="Link to this heading">#</a></h2>', format="html")
    container += paragraph
    container += bibtex
    files = _citation_files(app, cite)
    if files:
        up = "../" * docname.count("/")
        links = " · ".join(f'<a class="cite-file" href="{up}{path}" download>{name}</a>' for name, path in files.items())
        container += nodes.raw("", f'<p class="cite-files">Download this citation: {links}</p>', format="html")
    return [container]


def _download_path(app: Sphinx) -> str:
    """Where Sphinx publishes the data package ZIP: _downloads/<digest>/<name>."""
    for source, (_, dest) in app.env.dlfiles.items():
        if source.endswith(PACKAGE_ZIP):
            return f"_downloads/{dest}"
    raise ConfigError(f"no page links {PACKAGE_ZIP}, so the data package has no address to cite")


def _page_title(app: Sphinx, docname: str) -> str:
    return app.env.titles[docname].astext() if docname in app.env.titles else docname


def _fill_citations(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    book = _book(app)
    for node in list(doctree.findall(citation_placeholder)):
        target, figure = node["target"], node["figure"]
        if target == "book":
            cite = citation.for_book(book)
        elif target == "pdf":
            cite = citation.for_pdf(book, edition.PDF_DOWNLOAD)
        elif target == "data":
            cite = citation.for_data(book, json.loads(data.PACKAGE.read_text(encoding="utf-8")), _download_path(app))
        elif figure:
            numbers = app.env.toc_fignumbers.get(target, {}).get("figure", {})
            number = "Fig. " + ".".join(map(str, numbers.get(figure, ()))) if figure in numbers else figure
            cite = citation.for_figure(book, target, _page_title(app, target), figure, number)
        else:
            cite = citation.for_page(book, target, _page_title(app, target))
        node.replace_self(_citation_nodes(app, docname, cite, None, []))
    if app.builder.format != "html" or docname in ("genindex", "search"):
        return
    cite = citation.for_page(book, docname, _page_title(app, docname))
    heading = "Cite this book" if docname == app.config.root_doc else "Cite this chapter"
    doctree += _citation_nodes(app, docname, cite, heading, ["cite-this-chapter"])


# ---------------------------------------------------------------------------
# Page clean-up


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


def _drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-thebe writes a Binder configuration into every page; this book has no live code."""
    for raw in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in raw.astext() or "kernelName" in raw.astext():
            raw.parent.remove(raw)


def _record_description(app: Sphinx, doctree: nodes.document) -> None:
    """The page's first paragraph, shortened, as its meta description."""
    descriptions = app.env.__dict__.setdefault("iotsurvey_descriptions", {})
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text) >= 60:
            descriptions[app.env.docname] = _shorten(text, 160)
            return
    descriptions[app.env.docname] = _shorten(f"{_page_title(app, app.env.docname)}: part of {_book(app).title}.", 160)


def _merge_descriptions(app, env, docnames, other) -> None:
    env.__dict__.setdefault("iotsurvey_descriptions", {}).update(getattr(other, "iotsurvey_descriptions", {}))


def _purge_description(app, env, docname) -> None:
    env.__dict__.setdefault("iotsurvey_descriptions", {}).pop(docname, None)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    descriptions = getattr(app.env, "iotsurvey_descriptions", {})
    description = descriptions.get(pagename) or _shorten(
        {"genindex": "Index", "search": "Search"}.get(pagename, pagename) + f" of {_book(app).title}.", 160)
    context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(description)}" />'
    context["script_files"] = [js for js in context.get("script_files", []) if not _unused_script(js)]
    if "body" in context:
        # docutils marks bibliography entries with the deprecated role doc-biblioentry inside a
        # role="list"; screen readers (and axe-core) then see no list items.  listitem is the fit.
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
        context["body"] = _print_header(app, pagename) + context["body"]
    context["css_files"] = [css for css in context.get("css_files", [])
                            if not str(getattr(css, "filename", css)).endswith(UNUSED_STYLES)]


def _print_header(app: Sphinx, pagename: str) -> str:
    """A block shown only on paper: the book's title, the chapter's number and title, version and address."""
    book = _book(app)
    numbers = getattr(app.env, "toc_secnumbers", {}).get(pagename, {}).get("", ())
    number = f"Chapter {'.'.join(map(str, numbers))}: " if numbers else ""
    title = _page_title(app, pagename) if pagename in app.env.titles else ""
    address = book.url + pagename + ".html"
    # The words are drawn by the print stylesheet from data attributes, so that they are not page text
    # (the search's result snippets read the page's text).
    return ('<div class="iot-print-header" aria-hidden="true">'
            f'<p class="iot-print-book" data-text="{html.escape(book.title)}"></p>'
            f'<p class="iot-print-chapter" data-text="{html.escape(number + title)}"></p>'
            f'<p class="iot-print-edition" data-text="Version {html.escape(book.version)} · {html.escape(address)}"></p>'
            '</div>\n')


def _unused_script(js) -> bool:
    name = str(getattr(js, "filename", "") or "")
    body = getattr(js, "attributes", {}).get("body", "") or ""
    return name.endswith(UNUSED_SCRIPTS) or any(marker in body for marker in UNUSED_SCRIPT_BODIES)


# ---------------------------------------------------------------------------
# Icons: the few the pages use, as CSS masks, instead of a 1.5 MB script


_ICON = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z][a-z0-9]*)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","(M[^"]+)"\]')


def _icon_paths() -> dict[str, dict[str, tuple[int, int, str]]]:
    """The icons of the theme's Font Awesome bundle, by pack ("fas" solid, "far" regular, "fab" brands).

    The minified bundle defines each pack as an object literal followed by a
    call naming the pack, e.g. ``...})("fas", ...``; names are quoted only when
    they contain a hyphen.
    """
    import pydata_sphinx_theme

    bundle = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts"
              / "fontawesome.js")
    text = bundle.read_text(encoding="utf-8")
    packs: dict[str, dict[str, tuple[int, int, str]]] = {}
    start = 0
    for marker in re.finditer(r'\("(fas|far|fab)"', text):
        icons = packs.setdefault(marker.group(1), {})
        for m in _ICON.finditer(text, start, marker.start()):
            icons.setdefault(m.group(1) or m.group(2), (int(m.group(3)), int(m.group(4)), m.group(5)))
        start = marker.end()
    return packs


def icons_css(names: set[str]) -> str:
    """CSS that draws each named icon as a mask filled with the text colour (solid, or regular where asked)."""
    packs = _icon_paths()
    rules = ["/* Icons from Font Awesome Free (https://fontawesome.com, CC BY 4.0), as CSS masks. */",
             ".fa-solid, .fa-regular, .fa-brands, .fas, .far, .fab { display: inline-block; width: 1em; height: 1em;"
             " vertical-align: -0.125em; }",
             ".fa-solid::before, .fa-regular::before, .fa-brands::before, .fas::before, .far::before, .fab::before"
             " { content: \"\"; display: block; width: 100%; height: 100%; background-color: currentColor;"
             " -webkit-mask: var(--icon) no-repeat center / contain; mask: var(--icon) no-repeat center / contain; }",
             ".fa-lg { font-size: 1.25em; }",
             # the theme styles these classes in the Font Awesome font; with the glyphs drawn as masks
             # the font is never needed, and naming it would make the browser fetch 150 KB for nothing
             ".fa, .fa-solid, .fa-regular, .fa-brands, .fas, .far, .fab { font-family: inherit !important; }"]

    def rule(selector, icon):
        width, height, path = icon
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
        uri = "data:image/svg+xml," + svg.replace("%", "%25").replace("#", "%23").replace("<", "%3C").replace(">", "%3E")
        return f'{selector} {{ --icon: url("{uri}"); }}'

    for name in sorted(names):
        for pack, selector in (("fas", f".fa-{name}"), ("far", f".fa-regular.fa-{name}"), ("fab", f".fa-brands.fa-{name}")):
            if name in packs.get(pack, {}):
                rules.append(rule(selector, packs[pack][name]))
    # icons the theme draws with the font in pseudo-elements of its own
    for selector, name in PSEUDO_ICONS.items():
        rules.append(rule(selector, packs["fas"][name]).replace(" }", "; content: \"\"; display: inline-block;"
                     " width: 0.8em; height: 0.8em; margin-right: 0.25em; padding: 0; font: inherit;"
                     " background-color: currentColor; -webkit-mask: var(--icon) no-repeat center / contain;"
                     " mask: var(--icon) no-repeat center / contain; }"))
    return "\n".join(rules) + "\n"


PSEUDO_ICONS = {"a.reference.download::before": "download"}


def _write_icons(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    names = set()
    for page in outdir.rglob("*.html"):
        names |= set(re.findall(r"\bfa-([a-z0-9-]+)", page.read_text(encoding="utf-8")))
    for script in (outdir / "_static" / "scripts").glob("pydata-sphinx-theme.js"):
        names |= set(re.findall(r"\bfa-([a-z0-9-]+)", script.read_text(encoding="utf-8")))
    target = outdir / "_static" / "icons.css"
    css = icons_css(names - {"solid", "regular", "brands", "lg"})
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")


# ---------------------------------------------------------------------------


def _static_path(app: Sphinx, config) -> None:
    path = str(STATIC)
    if path not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, path]
    templates = str(STATIC.parent / "templates")
    if templates not in config.templates_path:
        config.templates_path = [templates, *config.templates_path]


def setup(app: Sphinx) -> dict:
    edition.setup(app)
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
    app.connect("build-finished", _write_icons)
    app.connect("build-finished", _record_generated_files)
    app.connect("env-get-outdated", _strict_reads_everything)
    app.connect("env-check-consistency", _name_the_toc)
    app.add_node(citation_placeholder)
    app.add_directive("citation", CitationDirective)
    app.add_css_file("iotsurvey.css")
    app.add_js_file("iotsurvey.js", loading_method="defer")
    app.add_css_file("icons.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
