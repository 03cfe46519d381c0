"""The book's commands: ``python -m iotsurvey check | keys <chapter> [prefix] | export <folder>``."""
