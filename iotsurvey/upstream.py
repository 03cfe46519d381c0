"""Two costs of upstream extensions that a rebuild need not pay (versions pinned: ``UPSTREAM_VERSIONS``).

- sphinxext-opengraph imports matplotlib (about 0.7 s) for social cards when it is imported, even
  when cards are off; this book draws its own cards (``iotsurvey.edition``).  Listed before it in
  ``_config.yml``, this module stands in for the card module until a card is asked for, and then
  loads the real one.
- sphinxcontrib-bibtex formats every bibliography entry again on every build (about 0.7 s).  The
  formatted entries of each bibliography are kept in the environment, keyed on everything the
  formatting reads (style, label prefix, the entries in order with their keys, tooltips), and reused
  while that is unchanged.

The tests check that a build's own process never imports matplotlib, that a rebuild writes the same
pages as a clean build, and that the versions are the ones this was written for.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
import types

from sphinx.application import Sphinx

UPSTREAM_VERSIONS = {"sphinxext-opengraph": "0.13.0", "sphinxcontrib-bibtex": "2.7.0"}
CARD_MODULE = "sphinxext.opengraph._social_cards"


def _defer_social_cards() -> None:
    if CARD_MODULE in sys.modules:
        return
    stand_in = types.ModuleType(CARD_MODULE)
    # the extension's defaults, as in the real module; "enable" is switched off by iotsurvey.edition
    stand_in.DEFAULT_SOCIAL_CONFIG = {
        "enable": True,
        "site_url": True,
        "site_title": True,
        "page_title": True,
        "description": True,
    }

    def create_social_card(*args, **kwargs):
        del sys.modules[CARD_MODULE]
        return importlib.import_module(CARD_MODULE).create_social_card(*args, **kwargs)

    stand_in.create_social_card = create_social_card
    sys.modules[CARD_MODULE] = stand_in


_defer_social_cards()  # at import: before sphinxext.opengraph is imported


def _remember_formatted_entries() -> None:
    from sphinxcontrib.bibtex.domain import BibtexDomain

    if getattr(BibtexDomain.get_formatted_entries, "remembers", False):
        return
    format_again = BibtexDomain.get_formatted_entries

    def get_formatted_entries(self, bibliography_key, docnames, tooltips, tooltips_style):
        bibliography = self.bibliographies[bibliography_key]
        entries = [(key, repr(entry)) for key, entry in self.get_sorted_entries(bibliography_key, docnames)]
        inputs = repr((bibliography.style, bibliography.labelprefix, entries, tooltips, tooltips_style))
        key = hashlib.sha256(inputs.encode("utf-8")).hexdigest()
        remembered = self.data.setdefault("iotsurvey-formatted", {})
        if key not in remembered:
            remembered[key] = list(format_again(self, bibliography_key, docnames, tooltips, tooltips_style))
        self.data.setdefault("iotsurvey-formatted-used", set()).add(key)
        return remembered[key]

    get_formatted_entries.remembers = True
    BibtexDomain.get_formatted_entries = get_formatted_entries


def _forget_unused(app: Sphinx, env) -> None:
    """After the bibliographies are formatted: keep only what this build used."""
    data = env.domaindata.get("cite", {})
    used = data.pop("iotsurvey-formatted-used", set())
    remembered = data.get("iotsurvey-formatted", {})
    for key in set(remembered) - used:
        del remembered[key]


def setup(app: Sphinx) -> dict:
    _remember_formatted_entries()
    app.connect("env-updated", _forget_unused, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
