"""AriaForge's musical core: a pure library (no web, database or queue imports).

`score` is the canonical model, `theory` names pitches, scales, chords and keys,
`validation` checks a score against music theory, `interchange` reads and writes MIDI,
MusicXML and ABC, and `transform` edits scores (transpose, quantize, slice, merge).
"""
