"""Key finding: profiles, whole passages, windows and regions, and Bach's chorales."""

from __future__ import annotations

import time

import pytest

from ariaforge.music.score import Key, Mode, Note
from ariaforge.music.theory import (
    DEFAULT_PROFILE,
    PROFILES,
    KeyEstimate,
    KeyWindow,
    chord_from_roman,
    conventional_key,
    estimate_key,
    estimate_key_from_histogram,
    estimate_keys_windowed,
    key_regions,
    parse_pitch,
    pitch_class_histogram,
    pitch_class_of_name,
    profile_named,
    rank_keys,
    scale_pitch_classes,
)
from ariaforge.music.theory.keyfinding import correlation

BAR = 1920  # ticks in a 4/4 bar at 480 per quarter


def key(tonic: str, mode: str = "major") -> Key:
    return Key(tonic=tonic, mode=Mode(mode))


def block_chords(chords: list[str], start: int = 0, length: int = BAR // 2) -> list[Note]:
    """One chord (space-separated pitch names) every `length` ticks."""
    notes = []
    for i, chord in enumerate(chords):
        for name in chord.split():
            notes.append(Note(pitch=parse_pitch(name), start=start + i * length,
                              duration=length))
    return notes


def cadence(k: Key) -> list[Note]:
    """I-IV-V7-I (i-iv-V7-i in minor) in close position over a bass, then the scale."""
    numerals = ["i", "iv", "V7", "i"] if k.mode is Mode.MINOR else ["I", "IV", "V7", "I"]
    notes = []
    for i, numeral in enumerate(numerals):
        chord = chord_from_roman(numeral, k)
        base = 48 + chord.root_pc
        notes.append(Note(pitch=base - 12, start=i * BAR, duration=BAR))
        for pc in chord.tone_pitch_classes:
            notes.append(Note(pitch=60 + (pc - chord.root_pc) % 12 + chord.root_pc,
                              start=i * BAR, duration=BAR))
    for j, pc in enumerate(scale_pitch_classes(k)):
        notes.append(Note(pitch=72 + pc, start=4 * BAR + j * 480, duration=480))
    return notes


# --- profiles -----------------------------------------------------------------------------

def test_profiles_and_aliases():
    assert set(PROFILES) == {"krumhansl", "temperley", "aarden"}
    assert DEFAULT_PROFILE == "aarden"
    for name in PROFILES:
        assert len(PROFILES[name].major) == len(PROFILES[name].minor) == 12
    assert profile_named("kk").name == "krumhansl"
    assert profile_named("Krumhansl-Kessler").name == "krumhansl"
    assert profile_named("kostka-payne").name == "temperley"
    assert profile_named("aarden-essen").name == "aarden"
    assert profile_named("essen").name == "aarden"
    # The tonic is the heaviest degree of every major profile.
    for profile in PROFILES.values():
        assert max(profile.major[0], profile.major[7]) == max(profile.major)


def test_unknown_profile():
    with pytest.raises(ValueError, match="unknown key profile"):
        profile_named("bellman")
    with pytest.raises(ValueError, match="unknown key profile"):
        estimate_key(block_chords(["C4 E4 G4"]), profile="nope")


def test_correlation():
    assert correlation([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert correlation([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert correlation([1, 1, 1], [1, 2, 3]) == 0.0


@pytest.mark.parametrize("profile", list(PROFILES))
def test_a_profile_finds_itself_in_every_key(profile):
    weights = PROFILES[profile]
    for tonic in range(12):
        for mode, values in ((Mode.MAJOR, weights.major), (Mode.MINOR, weights.minor)):
            histogram = tuple(values[(pc - tonic) % 12] for pc in range(12))
            estimate = estimate_key_from_histogram(histogram, profile)
            assert estimate.key == conventional_key(tonic, mode)
            assert estimate.correlation == pytest.approx(1.0)


def test_rank_keys_lists_all_24_best_first():
    ranked = rank_keys(pitch_class_histogram(cadence(key("E"))))
    assert len(ranked) == 24
    assert len({(k.tonic, k.mode) for k, _ in ranked}) == 24
    scores = [r for _, r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert ranked[0][0] == key("E")


def test_histogram_weights_by_duration():
    notes = [Note(pitch=60, start=0, duration=1440), Note(pitch=66, start=0, duration=960),
             Note(pitch=72, start=1440, duration=480)]
    assert pitch_class_histogram(notes) == (1920, 0, 0, 0, 0, 0, 960, 0, 0, 0, 0, 0)


# --- whole passages -----------------------------------------------------------------------

ALL_KEYS = [conventional_key(pc, mode) for mode in (Mode.MAJOR, Mode.MINOR) for pc in range(12)]


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("k", ALL_KEYS, ids=lambda k: f"{k.tonic}-{k.mode}")
def test_cadence_in_every_key(k, profile):
    estimate = estimate_key(cadence(k), profile=profile)
    assert estimate.key == k
    assert estimate.runner_up != k
    assert estimate.correlation >= estimate.runner_up_correlation
    assert estimate.margin >= 0


@pytest.mark.parametrize(("pc", "mode", "tonic"), [
    (10, "major", "Bb"), (1, "major", "Db"), (6, "major", "F#"), (11, "major", "B"),
    (8, "major", "Ab"), (3, "minor", "Eb"), (8, "minor", "G#"), (10, "minor", "Bb"),
    (1, "minor", "C#"), (6, "minor", "F#"),
])
def test_estimated_tonics_are_spelled_conventionally(pc, mode, tonic):
    # Build the passage from a deliberately odd spelling; the estimate must not copy it.
    odd = {10: "A#", 1: "C#", 6: "Gb", 11: "Cb", 8: "G#", 3: "D#"}[pc]
    estimate = estimate_key(cadence(Key(tonic=odd, mode=Mode(mode))))
    assert estimate.key == key(tonic, mode)


def test_melody_alone():
    # "Twinkle, twinkle" in D major.
    melody = "D4 D4 A4 A4 B4 B4 A4 G4 G4 F#4 F#4 E4 E4 D4"
    notes = [Note(pitch=parse_pitch(n), start=i * 480, duration=960 if i in (6, 13) else 480)
             for i, n in enumerate(melody.split())]
    assert estimate_key(notes).key == key("D")


def test_harmonic_minor_melody():
    melody = "A3 C4 E4 A4 G#4 A4 B4 C5 B4 G#4 E4 A4"
    notes = [Note(pitch=parse_pitch(n), start=i * 480, duration=480)
             for i, n in enumerate(melody.split())]
    estimate = estimate_key(notes)
    assert estimate.key == key("A", "minor")
    assert estimate.runner_up != estimate.key


def test_no_notes():
    with pytest.raises(ValueError, match="no notes"):
        estimate_key([])
    with pytest.raises(ValueError, match="12 entries"):
        estimate_key_from_histogram((1.0, 2.0))


def test_estimate_is_frozen():
    estimate = estimate_key(cadence(key("C")))
    assert isinstance(estimate, KeyEstimate)
    with pytest.raises(AttributeError):
        estimate.correlation = 0.0  # type: ignore[misc]


# --- windows and regions ------------------------------------------------------------------

C_PHRASE = ["C3 E4 G4 C5", "F3 F4 A4 C5", "G3 D4 G4 B4", "C3 E4 G4 C5",
            "A2 E4 A4 C5", "D3 F4 A4 D5", "G2 D4 G4 B4", "C3 E4 G4 C5"] * 2
G_PHRASE = ["G2 D4 G4 B4", "C3 E4 G4 C5", "D3 F#4 A4 D5", "G2 D4 G4 B4",
            "E3 E4 G4 B4", "A2 E4 A4 C5", "D3 D4 F#4 A4 C5", "G2 D4 G4 B4"] * 2
A_MINOR_PHRASE = ["A2 E4 A4 C5", "D3 F4 A4 D5", "E3 E4 G#4 B4", "A2 E4 A4 C5",
                  "F3 F4 A4 C5", "D3 F4 A4 D5", "E3 D4 G#4 B4", "A2 C4 E4 A4"] * 2


@pytest.mark.parametrize(("second", "second_key"), [
    (G_PHRASE, key("G")), (A_MINOR_PHRASE, key("A", "minor")),
])
@pytest.mark.parametrize("profile", list(PROFILES))
def test_modulation_is_found(second, second_key, profile):
    # Eight bars in C major, then eight in the second key.
    notes = block_chords(C_PHRASE) + block_chords(second, start=8 * BAR)
    windows = estimate_keys_windowed(notes, 4 * BAR, BAR, profile=profile)
    assert [w.start for w in windows] == [i * BAR for i in range(13)]
    assert windows[0].estimate.key == key("C")
    assert windows[-1].estimate.key == second_key
    assert windows[-1].end == 16 * BAR
    regions = key_regions(windows, min_windows=2)
    assert [r.key for r in regions] == [key("C"), second_key]
    assert regions[0].start == 0
    assert regions[-1].end == 16 * BAR
    assert regions[0].end == regions[1].start
    # A window straddling the change may go either way, so the boundary is only known to
    # within half a window.
    assert abs(regions[0].end - 8 * BAR) <= 2 * BAR
    assert sum(r.windows for r in regions) == len(windows)


def test_single_key_is_one_region():
    notes = block_chords(C_PHRASE)
    regions = key_regions(estimate_keys_windowed(notes, 4 * BAR, 2 * BAR))
    assert len(regions) == 1
    assert (regions[0].start, regions[0].end, regions[0].key) == (0, 8 * BAR, key("C"))


def test_windows_clip_notes_and_skip_silence():
    # A long C major chord, six silent bars, then a G major chord starting at bar 8.
    notes = [Note(pitch=p, start=0, duration=2 * BAR) for p in (48, 64, 67, 72)]
    notes += [Note(pitch=p, start=8 * BAR, duration=BAR) for p in (43, 59, 62, 67, 74, 66)]
    windows = estimate_keys_windowed(notes, BAR, BAR)
    assert [(w.start, w.end) for w in windows] == [(0, BAR), (BAR, 2 * BAR),
                                                   (8 * BAR, 9 * BAR)]
    assert windows[0].estimate.key == windows[1].estimate.key == key("C")
    assert windows[2].estimate.key == key("G")
    regions = key_regions(windows)
    assert [(r.key, r.windows) for r in regions] == [(key("C"), 2), (key("G"), 1)]


def test_windowed_starts_on_the_hop_grid_at_the_first_note():
    notes = block_chords(["C4 E4 G4"] * 4, start=10 * BAR + 240)
    windows = estimate_keys_windowed(notes, 2 * BAR, BAR)
    assert windows[0].start == 10 * BAR
    assert windows[-1].end == notes[-1].end


def test_windowed_edge_cases():
    assert estimate_keys_windowed([], BAR, BAR) == []
    with pytest.raises(ValueError, match="positive"):
        estimate_keys_windowed(block_chords(["C4 E4 G4"]), 0, BAR)
    with pytest.raises(ValueError, match="positive"):
        estimate_keys_windowed(block_chords(["C4 E4 G4"]), BAR, -1)
    with pytest.raises(ValueError, match="unknown key profile"):
        estimate_keys_windowed([], BAR, BAR, profile="nope")
    assert key_regions([]) == []


def _window(start: int, tonic: str) -> KeyWindow:
    k = key(tonic)
    return KeyWindow(start, start + 4, KeyEstimate(k, 0.9, key("C"), 0.5))


def test_short_runs_are_folded_into_their_longer_neighbour():
    windows = [_window(i * 2, t) for i, t in enumerate("CCCGCCDDDD")]
    plain = key_regions(windows)
    assert [(r.key.tonic, r.windows) for r in plain] == [
        ("C", 3), ("G", 1), ("C", 2), ("D", 4)]
    smoothed = key_regions(windows, min_windows=2)
    assert [(r.key.tonic, r.windows) for r in smoothed] == [("C", 6), ("D", 4)]
    # Boundaries fall halfway between the centres of the windows that disagree.
    assert [(r.start, r.end) for r in smoothed] == [(0, 13), (13, 22)]
    stubborn = key_regions(windows, min_windows=5)
    assert [(r.key.tonic, r.windows) for r in stubborn] == [("C", 10)]


# --- Bach chorales against music21 -------------------------------------------------------

Chorale = tuple[str, list[Note], dict[str, tuple[int, str]]]


@pytest.fixture(scope="module")
def theory_chorales() -> list[Chorale]:
    """(name, notes, music21's own keys) for every Bach chorale in music21's corpus.

    Parsing dominates the cost (~0.15 s a chorale), so it happens once for the module.
    """
    from music21 import corpus  # a dependency of AriaForge: never skipped

    names = list(corpus.chorales.Iterator(returnType="filename"))
    began = time.perf_counter()
    chorales: list[Chorale] = []
    for index, name in enumerate(names):
        score = corpus.parse(name)
        notes = [
            Note(pitch=p.midi, start=round(n.offset * 480),
                 duration=max(1, round(n.quarterLength * 480)))
            for n in score.flatten().notes if n.quarterLength > 0  # skip grace notes
            for p in n.pitches
        ]
        # music21's other profiles on every 4th chorale, to check our tables cheaply.
        methods = ("key", "krumhansl", "temperley") if index % 4 == 0 else ("key",)
        expected = {m: _pc_and_mode(score.analyze(m)) for m in methods}
        chorales.append((name, notes, expected))
    print(f"\nparsed {len(chorales)} chorales in {time.perf_counter() - began:.1f} s")
    return chorales


def _pc_and_mode(m21_key: object) -> tuple[int, str]:
    return m21_key.tonic.pitchClass, m21_key.mode  # type: ignore[attr-defined]


def _agreement(chorales: list[Chorale], method: str, profile: str) -> tuple[int, int, list[str]]:
    agree, total, misses = 0, 0, []
    for name, notes, expected in chorales:
        if method not in expected:
            continue
        total += 1
        found = estimate_key(notes, profile=profile).key
        ours = (pitch_class_of_name(found.tonic), found.mode.value)
        if ours == expected[method]:
            agree += 1
        else:
            misses.append(f"{name}: ours {found.tonic} {found.mode}, music21 {expected[method]}")
    return agree, total, misses


def test_chorales_agree_with_music21(theory_chorales, capsys):
    assert len(theory_chorales) == 371
    agree, total, misses = _agreement(theory_chorales, "key", DEFAULT_PROFILE)
    share = agree / total
    with capsys.disabled():
        print(f"\nkey agreement with music21 on Bach chorales: {agree}/{total} = {share:.1%}")
    assert share >= 0.95, "disagreements:\n" + "\n".join(misses)


@pytest.mark.parametrize(("method", "profile"), [
    ("krumhansl", "krumhansl"), ("temperley", "temperley"),
])
def test_other_profiles_match_music21s_implementations(theory_chorales, method, profile, capsys):
    agree, total, misses = _agreement(theory_chorales, method, profile)
    with capsys.disabled():
        print(f"\n{profile} agreement with music21's {method}: {agree}/{total}")
    assert total >= 90
    assert agree / total >= 0.95, "disagreements:\n" + "\n".join(misses)
