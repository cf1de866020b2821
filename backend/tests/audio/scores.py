"""Small, deterministic scores for the audio tests."""

from __future__ import annotations

from ariaforge.music.score import Note, Score, TempoChange, Track

Q = 480
BAR = 4 * Q


def melody_track(track_id: str = "piano", *, bars: int = 2, program: int = 0,
                 velocity: int = 100, pan: int = 0, volume: int = 100) -> Track:
    scale = [60, 62, 64, 65, 67, 69, 71, 72]
    notes = [Note(id=f"{track_id}-{i}", pitch=scale[i % 8], start=i * Q, duration=Q - 30,
                  velocity=velocity) for i in range(bars * 4)]
    return Track(id=track_id, name=track_id, program=program, pan=pan, volume=volume,
                 notes=notes)


def drum_track(track_id: str = "drums", *, bars: int = 2) -> Track:
    notes = []
    for i in range(bars * 8):
        tick = i * Q // 2
        notes.append(Note(id=f"{track_id}-h{i}", pitch=42, start=tick, duration=60,
                          velocity=90))
        if i % 4 == 0:
            notes.append(Note(id=f"{track_id}-k{i}", pitch=36, start=tick, duration=120,
                              velocity=110))
        if i % 4 == 2:
            notes.append(Note(id=f"{track_id}-s{i}", pitch=38, start=tick, duration=120,
                              velocity=100))
    return Track(id=track_id, name="Drums", is_drum=True, notes=notes)


def simple_score(*, bars: int = 2, tempo: float = 120.0) -> Score:
    """A piano melody and drums."""
    return Score(tempo=tempo, bars=bars, tracks=[melody_track(bars=bars),
                                                 drum_track(bars=bars)])


def drums_only(*, bars: int = 2) -> Score:
    return Score(bars=bars, tracks=[drum_track(bars=bars)])


def loud_dense(*, bars: int = 2) -> Score:
    """Full-velocity chords, bass, lead and drums at full volume."""
    chords = [Note(id=f"c{b}-{beat}-{p}", pitch=p + (b % 2) * 2, start=b * BAR + beat * Q,
                   duration=Q, velocity=127)
              for b in range(bars) for beat in range(4) for p in (48, 52, 55, 60, 64, 67)]
    bass = [Note(id=f"b{i}", pitch=36 + (i % 2) * 7, start=i * Q // 2, duration=Q // 2,
                 velocity=127) for i in range(bars * 8)]
    lead = [Note(id=f"l{i}", pitch=72 + (i * 5) % 12, start=i * Q // 4, duration=Q // 4,
                 velocity=127) for i in range(bars * 16)]
    drums = drum_track(bars=bars)
    return Score(bars=bars, tracks=[
        Track(id="chords", program=0, volume=127, notes=chords),
        Track(id="bass", program=38, volume=127, notes=bass),
        Track(id="lead", program=80, volume=127, notes=lead),
        drums.model_copy(update={"volume": 127}),
    ])


def quiet_sparse(*, bars: int = 3) -> Score:
    """A few soft piano notes with long gaps."""
    notes = [Note(id=f"n{b}", pitch=64 + 3 * b, start=b * BAR, duration=Q, velocity=25)
             for b in range(bars)]
    return Score(bars=bars, tracks=[Track(id="soft", program=0, volume=40, notes=notes)])


def tempo_change_score() -> Score:
    """Four bars: 120 bpm for two bars, then 60 bpm."""
    score = simple_score(bars=4)
    return score.model_copy(update={"tempo_changes": [TempoChange(tick=2 * BAR, bpm=60.0)]})
