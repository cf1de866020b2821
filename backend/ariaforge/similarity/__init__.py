"""Similarity and originality: melody and harmony windows in pgvector, the reference
corpus, the check, find similar and search by phrase (docs/similarity.md)."""
