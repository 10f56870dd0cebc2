"""Search: embed clauses, index them (FAISS + BM25), retrieve with filters and fusion."""
