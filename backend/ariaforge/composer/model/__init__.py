"""The composer's learned local models: n-grams with back-off over melody intervals,
rhythms and chord progressions, trained by `training/` on public-domain folk tunes and
chorales and shipped in `ariaforge/composer/data/`."""
