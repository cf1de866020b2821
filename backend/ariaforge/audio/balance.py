"""Role balance: a trim per track, from the loudness of its own stem, so that each role
sits at its target level whatever the SoundFont does with its program.

Why measured stems and not fixed volumes: in a General MIDI SoundFont a trumpet at
velocity 100 is 15-20 dB louder than a piano at the same velocity (TimGM6mb), and a
part's loudness also depends on how many notes it plays at once and how long they ring.
A fixed volume per role cannot balance that; the rendered stem already holds the answer.

Targets (integrated loudness relative to the melody, `role_targets`): the melody is the
reference; bass and drums 3 dB under it; the accompaniment (chords, pad and other parts
such as a countermelody or timpani) 4.5 dB under it as a group, within which a pad
weighs less than the comping: chords with a pad put the chords 5.6 dB and the pad 10.9 dB
under the melody. The tune stays in front, the comping is heard, the pad is felt more
than heard. Tracks sharing a role share its level (two comping instruments sit 3 dB
under one).

Which scores: only those that say what their tracks are for (at least one track has a
role other than "other", as every composed score does). A score whose tracks are all
"other" (drawn by hand, imported MIDI) is mixed exactly as its volumes say.

The user's controls keep their meaning: the trim replaces nothing; the track's fader
(volume) and `TrackMix.gain_db` are applied on top, relative to the role-balanced level
(`DEFAULT_VOLUME` is the fader position at which a track sits exactly at its target).
Mute/solo decide which stems exist; muting one track does not move the others' trims.

How it is measured: the pipeline renders the heard tracks once more at `PROBE_RATE`
(11025 Hz, about a quarter of the synth's work at 44.1 kHz) and keeps only their
K-weighted power summed per 100 ms (`probe_trims`; 80 bytes a second a track: 0.8 MB for
10 minutes of 16 tracks, besides the synth's step of audio per track, about 6 MB a track
in all whatever the length), so the trims are known before the real render starts, which
can then be mixed while the synth runs, in bounded memory, as an unbalanced one.
At that rate TinySoundFont folds the top octaves down rather than dropping them, and
K-weighting is flat above ~2 kHz: on the bench's pieces the trims are within 0.4 dB
(typically 0.05) of those measured at 44.1 kHz.

The trims are measured on what is rendered: an export of a few bars is balanced on
those bars (a part that only plays softly there is brought to its role's level, as it
would be over the whole piece). The loudness range inside a track is untouched: a trim is
one static gain, so quiet sections stay quiet against loud ones.

A trim is at most `MAX_TRIM_DB` either way: wide, because the spread is real (TimGM6mb's
piano played softly measures about -36 LUFS where its saw lead or trumpet is near -20),
and bounded so a stem of a few faint notes is not raised without limit (the gated
loudness already ignores the silence between them).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor

from ariaforge.audio.loudness.gain import Audio
from ariaforge.audio.loudness.gated import GatedLoudnessStream
from ariaforge.audio.loudness.meter import integrated_lufs
from ariaforge.audio.mix import volume_db
from ariaforge.audio.soundfont import SoundFontPath
from ariaforge.audio.synth import TrackVoice, render_stems_stepped
from ariaforge.music.score import Role, Score

REFERENCE_LUFS = -20.0  # the melody's stem level (the master is normalised afterwards)
ROLE_TARGETS_DB: dict[Role, float] = {
    Role.MELODY: 0.0, Role.BASS: -3.0, Role.DRUMS: -3.0,
}
# The accompaniment (chords, pad, other parts) as one group 4.5 dB under the melody,
# shared by power: a pad weighs 0.3 of a comping part, an "other" part (countermelody,
# timpani) 0.5. Chords with a pad: chords -5.6 dB, pad -10.9 dB; a pad alone is the
# whole accompaniment, -4.5 dB.
ACCOMPANIMENT_DB = -4.5
ACCOMPANIMENT_WEIGHTS: dict[Role, float] = {Role.CHORDS: 1.0, Role.PAD: 0.3, Role.OTHER: 0.5}
DEFAULT_VOLUME = 100  # the fader at which a balanced track sits at its target
MAX_TRIM_DB = 30.0
PROBE_RATE = 11025  # the rate the stems' loudness is measured at
PROBE_WORKERS = 4  # threads filtering the probe's stems, whatever the number of tracks


def balanced(score: Score) -> bool:
    """Whether the score's tracks carry roles (then the mix balances them)."""
    return any(track.role not in (Role.OTHER, Role.AUDIO) for track in score.tracks)


def _stem_loudness(stem: Audio, sample_rate: int) -> float | None:
    """Integrated loudness of every `step`-th frame (about `PROBE_RATE` Hz): 3-4 times
    faster than at the full rate. Taking every 4th sample folds the top octaves down
    instead of losing them, and K-weighting is flat above ~2 kHz, so the figure stays
    within 0.05 dB of the full-rate one (measured on the bench's pieces)."""
    step = max(1, sample_rate // PROBE_RATE)
    return integrated_lufs(stem[::step], round(sample_rate / step))


def role_targets(score: Score) -> dict[Role, float]:
    """Each role's target for one of its tracks (dB relative to the melody). Several
    tracks of one role share its level, so the band does not grow louder than the tune
    as it grows; counted over the whole score, so muting or soloing a track moves no
    other track's level."""
    count = Counter(track.role for track in score.tracks)
    weight = sum(w * count[role] for role, w in ACCOMPANIMENT_WEIGHTS.items())
    targets: dict[Role, float] = {}
    for role in Role:
        if role is Role.AUDIO:
            continue  # samples play at the level they were recorded at (see trims_for)
        if role in ACCOMPANIMENT_WEIGHTS:
            share = ACCOMPANIMENT_WEIGHTS[role] / weight if count[role] else 1.0
            targets[role] = ACCOMPANIMENT_DB + 10.0 * math.log10(share)
        else:
            targets[role] = ROLE_TARGETS_DB[role] - 10.0 * math.log10(max(count[role], 1))
    return targets


def role_trims(score: Score, stems: Mapping[str, Audio], sample_rate: int) -> dict[str, float]:
    """Trim (dB) per track id in `stems`: what brings its stem, at the default fader, to
    its role's target. Empty when the score is not `balanced`; a silent stem gets 0."""
    if not balanced(score):
        return {}
    return trims_for(score, {track_id: _stem_loudness(stem, sample_rate) if len(stem)
                             else None for track_id, stem in stems.items()})


def trims_for(score: Score, loudness: Mapping[str, float | None]) -> dict[str, float]:
    """The trims for stems of the given integrated loudness (None: silent, trim 0)."""
    roles = {track.id: track.role for track in score.tracks}
    targets = role_targets(score)
    default_fader = volume_db(DEFAULT_VOLUME)
    trims: dict[str, float] = {}
    for track_id, level in loudness.items():
        if level is None or track_id not in roles or roles[track_id] is Role.AUDIO:
            trims[track_id] = 0.0
            continue
        trim = REFERENCE_LUFS + targets[roles[track_id]] - (level + default_fader)
        trims[track_id] = max(-MAX_TRIM_DB, min(MAX_TRIM_DB, trim))
    return trims


def probe_trims(score: Score, soundfont_path: SoundFontPath | None, *, start_tick: int,
                end_tick: int | None, tail_seconds: float,
                track_ids: Collection[str],
                voices: Mapping[str, TrackVoice] | None = None) -> dict[str, float]:
    """`role_trims` of the tracks `track_ids` over [start_tick, end_tick), measured on a
    probe render at `PROBE_RATE` (see the module notes); empty for a score that is not
    `balanced`."""
    # Audio tracks are not balanced (trim 0): the probe renders only the synth's tracks.
    audio = {track.id for track in score.tracks if track.is_audio}
    track_ids = [track_id for track_id in track_ids if track_id not in audio]
    if not balanced(score) or not track_ids:
        return {}
    with _ProbeMeter(track_ids) as meter:
        render_stems_stepped(score, soundfont_path, PROBE_RATE, start_tick=start_tick,
                             end_tick=end_tick, tail_seconds=tail_seconds,
                             track_ids=track_ids, consumer=meter, keep=False, voices=voices)
        loudness = {track_id: stream.lufs() for track_id, stream in meter.streams.items()}
    return trims_for(score, loudness)


class _ProbeMeter:
    """A `StemConsumer` that keeps only each track's power per 100 ms segment (see
    `loudness.gated`): 80 bytes a second a track, where the whole K-weighted power would
    be 88 kB a second. The tracks are filtered `PROBE_WORKERS` at a time (SciPy filters
    without the GIL), and `take` returns once they are done, so the synth may reuse its
    buffers (no copies) and the threads stay few whatever the number of tracks."""

    def __init__(self, track_ids: Collection[str]) -> None:
        self.streams = {track_id: GatedLoudnessStream(PROBE_RATE) for track_id in track_ids}
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(PROBE_WORKERS,
                                                               len(self.streams))))

    def __enter__(self) -> _ProbeMeter:
        return self

    def __exit__(self, *_: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def start(self, frames: int) -> None:
        pass  # the segments grow as the audio comes: nothing to reserve

    def take(self, parts: dict[str, Audio], begin: int, end: int) -> None:
        # Each track's stream is fed by one job per step, and all jobs of a step end
        # before the next step: every stream sees its audio in order.
        for job in [self._pool.submit(self.streams[track_id].feed, part)
                    for track_id, part in parts.items()]:
            job.result()
