"""Loudness (ITU-R BS.1770-4 / EBU R 128), true peak, a true-peak limiter and loudness
normalisation, one concern per module (import the one you need: this package imports
nothing itself):

* `gain`: the (frames, 2) float32 shape every stage uses, dB <-> linear, static or
  per-frame gain (`GainCurve`, what the limiter computes).
* `meter`: K-weighted power, integrated loudness and loudness range (`integrated_lufs`,
  `loudness_range_lu`, `PowerStream` for a signal that arrives a range at a time).
* `gated`: `GatedLoudnessStream`, the integrated loudness of a signal fed a range at a
  time, holding its power per 100 ms segment only.
* `true_peak`: the 4x-interpolated true peak (`true_peak_dbtp`, `TruePeaks`), computed
  only where a cheap bound says it could matter.
* `true_peak_stream`: `TruePeakStream`, the same true peak fed a chunk at a time.
* `limiter`: `true_peak_limit`, a look-ahead limiter under a true-peak ceiling.
* `normalize`: `normalize` / `normalize_detailed`: gain to a target loudness, then the
  limiter at the ceiling.
"""
