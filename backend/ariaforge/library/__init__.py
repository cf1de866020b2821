"""The sound library: instrument presets, uploaded SoundFonts and audio samples
(docs/library.md)."""
