"""Score → finished audio: synthesis, mixing, loudness, encoding and quality checks.

A pure library: no web, database, queue or storage imports, and no environment reads
(callers pass the SoundFont path and FFmpeg binary in). This package imports nothing
itself: importing one light module (`errors`, `options`) must not load NumPy, SciPy,
pedalboard or the synth, which only the worker and the offline CLI need. Modules:

* `options`: what a render is asked for (`RenderOptions`, `MixSettings`); light.
* `errors`: the exceptions; light.
* `synth.render_stems`: one stereo float32 stem per track through a SoundFont.
* `mix.mix` / `process_stems` / `master_chain`.
* `loudness.*`: integrated LUFS and LRA (`meter`), true peak (`true_peak`), the true-peak
  limiter (`limiter`), loudness normalisation (`normalize`).
* `encode.encode` / `decode` / `probe`: FFmpeg subprocess (wav, flac, mp3, ogg, opus);
  `mp3split` joins a long MP3 encoded by two processes (ADR 17).
* `quality.analyze` → `QualityReport`.
* `pipeline.render_score`: all of it, to files.
"""
