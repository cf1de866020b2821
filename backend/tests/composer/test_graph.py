"""The LangGraph pipeline in-process: node order and progress, every style, determinism,
the validate -> repair loop on injected faults, and operations on an existing score."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from ariaforge.composer.graph import ComposeContext, ProgressEvent, build_graph
from ariaforge.composer.operations import ComposeRequest, OperationError
from ariaforge.composer.run import compose, compose_async
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note, Role, Score, Track
from ariaforge.music.validation import validate
from ariaforge.music.validation.model import Severity


def fingerprint(score: Score) -> list[tuple[str, int, int, int]]:
    return [(track.id, n.pitch, n.start, n.duration) for track, n in score.all_notes()]


async def test_nodes_run_in_order_and_progress_only_rises() -> None:
    events: list[ProgressEvent] = []
    result = await compose_async(ComposeRequest(prompt="a waltz in D minor", bars=16),
                                 progress=events.append)
    order: list[str] = []
    for event in events:
        if not order or order[-1] != event.node:
            order.append(event.node)
    assert order[:6] == ["interpret", "plan", "harmony", "melody", "arrange", "validate"]
    assert order[-1] == "finalize" and events[-1].percent == 100.0
    percents = [event.percent for event in events]
    assert percents == sorted(percents)
    assert result.score.bars == 16 and result.validation["errors"] == 0


@pytest.mark.parametrize("style", list(Style))
def test_every_style_composes_clean_music(style: Style) -> None:
    result = compose(ComposeRequest(prompt="", style=style, bars=16, seed=5))
    report = validate(result.score, result.brief.validation_style)
    assert report.counts.get(Severity.ERROR, 0) == 0, report.violations[:5]
    assert result.brief.style is style
    roles = {t.role for t in result.score.tracks if t.notes}
    assert Role.MELODY in roles and len(roles) >= 2


def test_same_seed_same_music_other_seed_other_music() -> None:
    one = compose(ComposeRequest(prompt="a jazz tune in F", seed=1, bars=16)).score
    again = compose(ComposeRequest(prompt="a jazz tune in F", seed=1, bars=16)).score
    other = compose(ComposeRequest(prompt="a jazz tune in F", seed=2, bars=16)).score
    assert fingerprint(one) == fingerprint(again)
    assert fingerprint(one) != fingerprint(other)


def test_the_seed_comes_from_the_text_when_none_is_given() -> None:
    assert fingerprint(compose("a folk song in G").score) == \
        fingerprint(compose("a folk song in G").score)
    assert fingerprint(compose("a folk song in G").score) != \
        fingerprint(compose("a folk song in A").score)


async def test_repair_fixes_injected_errors() -> None:
    """Faults injected after the arrangement (a note past the end, overlapping unisons)
    are found by the validator and repaired before the score is finished."""
    graph = build_graph(InMemorySaver())
    config: Any = {"configurable": {"thread_id": "repair"}}
    request = ComposeRequest(prompt="a pop song in C", bars=8, seed=4)
    events: list[ProgressEvent] = []
    context = ComposeContext(progress=events.append)
    await graph.ainvoke({"prompt": request.prompt, "request": request.model_dump(
        mode="json", exclude_none=True)}, config, context=context,
        interrupt_before=["validate"])
    state = (await graph.aget_state(config)).values
    tracks = [Track.model_validate(t) for t in state["tracks"]]
    end = 8 * 1920
    broken = tracks[0].model_copy(update={"notes": [
        *tracks[0].notes, Note(pitch=60, start=end - 240, duration=960),
        Note(pitch=72, start=960, duration=960), Note(pitch=72, start=1200, duration=960)]})
    await graph.aupdate_state(config, {"tracks": [broken.model_dump(mode="json"),
                                                  *[t.model_dump(mode="json")
                                                    for t in tracks[1:]]]}, as_node="arrange")
    final = await graph.ainvoke(None, config, context=context)
    assert any(event.node == "repair" for event in events)
    assert final["repair_round"] >= 1
    score = Score.model_validate(final["score"])
    report = validate(score, "pop")
    assert report.counts.get(Severity.ERROR, 0) == 0
    assert all(note.end <= score.end_tick for _, note in score.all_notes())


def test_operations_need_what_they_work_on() -> None:
    empty = Score(bars=4)
    with pytest.raises(OperationError):
        compose(ComposeRequest(operation="reharmonize"), base=empty)
    base = compose(ComposeRequest(prompt="a march in C", bars=8, seed=3)).score
    with pytest.raises(OperationError):
        compose(ComposeRequest(operation="restyle"), base=base)  # to which style?
    with pytest.raises(OperationError):
        compose(ComposeRequest(operation="regenerate", section=40), base=base)


def test_variation_keeps_the_rhythm_and_changes_some_pitches() -> None:
    base = compose(ComposeRequest(prompt="a folk song in D, verse chorus", seed=8)).score
    varied = compose(ComposeRequest(operation="variation", section=0, seed=2), base=base).score
    melody = next(t.id for t in base.tracks if t.role is Role.MELODY)
    section = base.sections[0]
    end = base.bar_start(section.start_bar + section.bars)
    before = [n for n in base.track(melody).notes if n.start < end]
    after = [n for n in varied.track(melody).notes if n.start < end]
    assert [n.start for n in after] == [n.start for n in before]
    changed = sum(a.pitch != b.pitch for a, b in zip(after, before, strict=True))
    assert 0 < changed < len(before)
    assert [(n.pitch, n.start) for n in varied.track(melody).notes if n.start >= end] == \
        [(n.pitch, n.start) for n in base.track(melody).notes if n.start >= end]
