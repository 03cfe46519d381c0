"""The shared module of the book *IoT security awareness in 2018: a survey re-examined*.

data       load and validate data/ against data/datapackage.json
survey     findings, releases, sources and design facts as objects
intervals  modelled precision: Wilson intervals, rounding, design effects
figures    the house style for charts
book       what chapter cells call (glue, figures, tables)
sphinxext  the Sphinx extension run once per build
"""
