"""The book's look on top of sphinx-book-theme, through the theme's public hooks only: a stylesheet and a
script of the book's own (``static/``), and two committed Font Awesome Free icons (``static/icons/``, CC BY 4.0,
notice kept) that the stylesheet draws where the theme would download the icon font for two glyphs.

Theme versions: sphinx-book-theme 1.3.0 and pydata-sphinx-theme 0.17.1 are the newest that Jupyter Book 1
allows (its myst-parser 3 caps Sphinx below 8; pydata-sphinx-theme 0.18 and sphinx-book-theme 1.4 need
Sphinx 8).  Nothing here reads the themes' internals, so a newer theme is a version bump.

The script's one workaround, the phone navigation button, waits for pydata-sphinx-theme#2451 and
sphinx-book-theme#988; a test fails once upstream makes it redundant.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from ..paths import digest

STATIC = Path(__file__).resolve().parent / "static"


def _static_path(app: Sphinx, config) -> None:
    path = str(STATIC)
    if path not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, path]
    # A change to the stylesheet, the script or an icon rewrites every page (Sphinx copies static files, and
    # stamps their addresses with their checksum, only when it writes pages): the files' digest is a config
    # value that rebuilds the HTML when it changes.
    config.iotsurvey_static_digest = digest(STATIC)


def setup(app: Sphinx) -> None:
    app.add_config_value("iotsurvey_static_digest", "", "html")
    app.connect("config-inited", _static_path)
    app.add_css_file("iotsurvey.css")
    app.add_js_file("iotsurvey.js", loading_method="defer")
