"""The notebook a reader downloads: every figure of the page as an image, every table as HTML, every number of
the prose in place, a first cell that says how to run it.  (Running it in a fresh kernel: tests/slow.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.book import notebooks


def offered(site: Path, doc: str) -> Path:
    soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    link = soup.select_one('a[href$=".ipynb"]')
    assert link is not None, f"{doc} offers no notebook"
    return (site / doc).parent.joinpath(link["href"]).resolve()


def outputs(notebook: dict, mime: str) -> list:
    return [o for c in notebook["cells"] for o in c.get("outputs", []) if mime in o.get("data", {})]


@pytest.mark.parametrize("doc", notebooks())
def test_the_downloaded_notebook_shows_what_the_page_shows(site, doc):
    notebook = json.loads(offered(site, doc).read_text(encoding="utf-8"))
    soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    figures = soup.select("main figure img.iot-look.only-light.iot-wide")
    images = [o for o in outputs(notebook, "image/png") if "image/svg+xml" in o["data"]]
    assert len(images) == len(figures), f"{doc}: {len(figures)} figures on the page, {len(images)} in the notebook"
    tables = soup.select("main .cell_output table:not(.iot-values table)")
    html_tables = [o for o in outputs(notebook, "text/html") if "<table" in "".join(o["data"]["text/html"])]
    assert len(html_tables) >= len([t for t in tables if not t.find_parent(class_="iot-values")])
    for cell in notebook["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            assert "{glue:" not in text and "{numref}" not in text and "{doc}" not in text, text[:300]
    kinds = {k for c in notebook["cells"] for o in c.get("outputs", []) for k in o.get("data", {})}
    assert not [k for k in kinds if "iotsurvey" in k or "papermill" in k], f"{doc}: book-only outputs left: {kinds}"
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown" and "pip install -e ." in "".join(first["source"])


def test_a_glued_number_is_in_the_prose_as_the_page_shows_it(site):
    notebook = json.loads(offered(site, "chapters/awareness").read_text(encoding="utf-8"))
    prose = " ".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    soup = BeautifulSoup((site / "chapters" / "awareness.html").read_text(encoding="utf-8"), "html.parser")
    pasted = [span.get_text() for span in soup.select("main .pasted-text")]
    assert pasted and all(value in prose for value in pasted)
