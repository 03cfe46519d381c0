"""The book's Sphinx extension (``iotsurvey.site`` in ``_config.yml``): each module wires itself with its own
``setup(app)``.

- :mod:`.build`: the data checked once, the downloads exported, the execution cache keyed on the chapters'
  inputs, the chapters executed in parallel, a failing chapter reported once;
- :mod:`.outputs`: the book's notebook outputs (figures in every look, tables, boxes) as pages;
- :mod:`.notebooks`: each chapter as a notebook a reader can download, read and run;
- :mod:`.pages`: glossary links, meta descriptions, the print header, link addresses repaired;
- :mod:`.citing` and :mod:`.citation`: citations of the book, chapters, figures and data, in four formats;
- :mod:`.edition`: version, address and licence, citation and social tags, preview cards;
- :mod:`.pdf`: the PDF edition numbered like the site;
- :mod:`.theme`: the book's stylesheet, script and icons.
"""

from sphinx.application import Sphinx

from . import build, citing, edition, notebooks, outputs, pages, pdf, theme


def setup(app: Sphinx) -> dict:
    for module in (edition, build, outputs, pages, citing, pdf, notebooks, theme):
        module.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
