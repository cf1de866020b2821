"""Musicality measures for bench/bench_musicality.py (issue 12): one `Piece` shape for
AriaForge's scores, held-out corpus tunes and a random baseline, the measures read from it,
and a classifier two-sample test. Bench code: nothing here is imported by the app."""
