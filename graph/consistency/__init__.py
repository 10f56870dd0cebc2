"""A state's commitments side by side: the clashes between clauses of agreements that share a party
(``edges``, stored as CONFLICTS_WITH and kept up to date incrementally) and the consistency report of one state
(``report``)."""
