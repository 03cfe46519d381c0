"""What the tests share: the book's folders and builds (:mod:`.book`), a browser (:mod:`.browser`), the oracle
that recomputes every glued number from the CSV files (:mod:`.expected`) and the bad-data cases
(:mod:`.bad_inputs`).  Tests import from here, never from one another or from conftest."""
