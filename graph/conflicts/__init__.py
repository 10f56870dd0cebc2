"""Conflicts between treaty clauses: what a clause says in a comparable form (``reading``), the pure
comparison of two clauses (``compare``), the priority rules of the Vienna Convention (``vclt``), and the
check of a draft against the agreements its parties already carry (``check``)."""
