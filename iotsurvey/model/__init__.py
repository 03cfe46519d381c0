"""The survey as data: ``data/`` read and validated, findings with their evidence, the other surveys,
intervals and the country scenarios.  Pure Python with pandas and statsmodels: nothing here imports
IPython, myst-nb or Sphinx, and nothing here writes a file."""
