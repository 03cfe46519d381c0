"""The shared package of the book *IoT security awareness in 2018: a survey re-examined*.

Data flow one way, and the folders follow it:

- ``model``: ``data/`` read and validated, and the survey as objects: findings with their evidence, the
  other surveys, intervals and country scenarios.  No IPython, myst-nb or Sphinx.
- ``render``: what a chapter shows: glue keys, words, the house style, the book's figures and tables as
  cell outputs.
- ``export``: the files readers download (values CSVs with their schemas, the chapters' CSVs, the data
  package as a ZIP, the sources' bibliography), written before the build reads any page.
- ``site``: the Sphinx extension: the build's data check, execution cache and parallel execution, how the
  book's outputs become pages, downloadable notebooks, citations, the edition, the PDF and the theme.
- ``cli``: ``python -m iotsurvey check | keys <chapter> | export <folder>``.

The contract (``site`` -> ``export`` -> ``render`` -> ``model``) is checked by import-linter
(``pyproject.toml``) in the test suite.
"""
