"""The arrangement bench (issue 13): style traits, texture, unrequested tracks and controls,
measured on the notes of composed scores.

grid.py (ticks, beats, which track plays which part) -> bars.py (a bar as a player reads
it) -> kit_checks.py and part_checks.py (per-bar checks) -> traits.py (score-level traits
and STYLE_TRAITS, with piece_traits.py); texture.py, controls.py and briefs.py beside."""
