"""Tempo and length: numbers and tempo words, the mood's nudge, contradictions, bar
counts, durations, and a duration and a bar count fitted together."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import parse_brief

# --- tempo --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "tempo"), [
    ("90 bpm", 90), ("120 BPM", 120), ("120bpm", 120), ("tempo 100", 100),
    ("tempo: 72", 72), ("at 96", 96), ("♩ = 84", 84), ("q=150", 150),
    ("100 beats per minute", 100), ("90-100 bpm", 95), ("at about 132", 132),
    ("slow", 90), ("very slow", 84), ("moderate", 105), ("medium tempo", 105),
    ("fast", 122), ("very fast", 128), ("upbeat", 115), ("laid-back", 98),
    ("laid back", 98), ("relaxed", 98), ("quick", 122), ("adagio", 71), ("presto", 184),
    ("not too fast", 110), ("slow jazz", 112), ("fast jazz", 181), ("slow edm", 126),
])
def test_tempo(text, tempo):
    assert parse_brief(text).tempo == tempo


@pytest.mark.parametrize(("text", "tempo"), [
    ("a sad pop song", 95), ("an energetic pop song", 123), ("a calm pop song", 93),
    ("an energetic ambient piece", 84), ("a melancholic reel", 198),
])
def test_mood_nudges_tempo_within_the_styles_range(text, tempo):
    assert parse_brief(text).tempo == tempo


@pytest.mark.parametrize(("text", "tempo", "warning"), [
    ("500 bpm", 300, "500 bpm is outside 30-300: using 300 bpm"),
    ("tempo 10", 30, "10 bpm is outside 30-300: using 30 bpm"),
    ("fast, 60 bpm", 60,
     "'fast' suggests 118-125 bpm, but the brief asks for 60 bpm: using 60 bpm"),
    ("90 bpm ... make it 120 bpm", 120, "several tempi named (90 bpm, 120 bpm): using the "
     "last, 120 bpm"),
])
def test_tempo_contradictions(text, tempo, warning):
    brief = parse_brief(text)
    assert brief.tempo == tempo
    assert warning in brief.warnings


def test_at_is_a_tempo_only_when_the_number_could_be_one():
    assert parse_brief("at 5 o'clock").tempo == 110
    assert parse_brief("finish at 2 minutes").tempo == 110


# --- length: bars and durations -----------------------------------------------------------

@pytest.mark.parametrize(("text", "bars"), [
    ("32 bars", 32), ("16-bar", 16), ("8 measures", 8), ("sixteen bars", 16),
    ("thirty-two bars", 32), ("a 64 bar piece", 64), ("1 bar", 1), ("12 bar blues", 12),
    ("600 bars", 512), ("0 bars", 1),
    # Durations at the default 110 bpm in 4/4 (27.5 bars a minute), in whole phrases.
    ("2 minutes", 56), ("90 seconds", 40), ("1:30", 40), ("a minute", 28),
    ("one minute", 28), ("a minute and a half", 40), ("two and a half minutes", 68),
    ("2 min 30 s", 68), ("2m30s", 68), ("half a minute", 12), ("3-minute", 84),
    ("5 seconds", 2), ("an hour", 512),
])
def test_bars(text, bars):
    assert parse_brief(text).bars == bars


@pytest.mark.parametrize(("text", "bars", "tempo"), [
    ("2 minutes at 120 bpm", 60, 120),
    ("90 seconds, 3/4, 90 bpm", 44, 90),  # 45 bars, rounded to whole phrases
    ("1 minute, 6/8, 120 bpm", 40, 120),  # 6/8 bars hold three quarter notes
    ("30 seconds at 60 bpm", 8, 60),  # 7.5 bars
    ("10 seconds at 60 bpm", 3, 60),  # shorter than a phrase: whole bars
    ("32 bars in 1 minute", 32, 128),  # bars and a duration: the tempo that fits
    ("16 bars of 3/4 lasting 30 seconds", 16, 96),
    ("8 bars in 1 hour", 8, 30),  # would need 0.5 bpm
])
def test_duration_and_tempo_together(text, bars, tempo):
    brief = parse_brief(text)
    assert (brief.bars, brief.tempo) == (bars, tempo)
    assert brief.duration_seconds > 0


def test_bars_tempo_and_duration_all_given_keep_the_bars():
    brief = parse_brief("32 bars, 120 bpm, 3 minutes")
    assert (brief.bars, brief.tempo) == (32, 120)
    assert brief.warnings == ["at 120 bpm, 32 bars last 1:04, not 3:00: keeping 32 bars"]


def test_a_bar_count_and_a_fitting_duration_do_not_warn():
    brief = parse_brief("32 bars, 120 bpm, about a minute")
    assert brief.warnings == []
