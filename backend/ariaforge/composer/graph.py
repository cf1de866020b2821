"""The composer as a LangGraph graph:

    interpret -> plan -> harmony -> melody -> arrange -> validate -> finalize
                                                 repair <-'  (at most MAX_REPAIR_ROUNDS)

Every node reports progress through the run's context and returns plain JSON for the state,
which a checkpointer (PostgreSQL in the worker) saves after each node: a run that a worker
crash interrupted resumes at the node it was in, not from the start. The graph knows nothing
of the web or the database; the job handler supplies `persist` (store the result as a
project version) and `progress` (publish an event) in `ComposeContext`.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Checkpointer

from ariaforge.composer import harmony as harmony_step
from ariaforge.composer import melody as melody_step
from ariaforge.composer.arrange import Ensemble, arrange_track, register_for
from ariaforge.composer.assemble import assemble_score, track_for
from ariaforge.composer.brief import Brief, Instrument
from ariaforge.composer.harmony_styles import style_harmony
from ariaforge.composer.llm import BriefReader
from ariaforge.composer.melody.feel import straight_notes, swing_notes
from ariaforge.composer.operations import (
    NEEDS_MELODY,
    ComposeRequest,
    Operation,
    OperationError,
    brief_for,
    melody_track_index,
    section_index,
    splice_chords,
    splice_notes,
)
from ariaforge.composer.plan import ChordEvent, Plan, SectionPlan, plan_form, rng_for
from ariaforge.composer.repair import bars_to_repair, drop_offending_notes, summarise
from ariaforge.composer.section_keys import bars_by_key, home_key_notes, in_section_keys
from ariaforge.composer.state import (
    ComposeState,
    chords_from_json,
    chords_to_json,
    harmony_from_score,
    notes_from_json,
    notes_to_json,
)
from ariaforge.composer.tonality import (
    CANDIDATES,
    best_candidate,
    chord_histogram,
    key_margin,
    note_histogram,
    rests_on_tonic,
)
from ariaforge.music.score import Note, Role, Score, Track, restore_audio, split_audio
from ariaforge.music.validation import validate

__all__ = ["MAX_REPAIR_ROUNDS", "NODES", "ComposeContext", "ProgressEvent", "build_graph"]

MAX_REPAIR_ROUNDS: Final = 3
REPAIR_DRAWS: Final = 12  # melodies tried when the arrangement drifted into another key
NODES: Final = ("interpret", "plan", "harmony", "melody", "arrange", "validate", "repair",
                "finalize")
_PERCENT: Final = {"interpret": 5.0, "plan": 12.0, "harmony": 25.0, "melody": 45.0,
                   "arrange": 65.0, "validate": 80.0, "repair": 85.0, "finalize": 95.0}


@dataclass(frozen=True)
class ProgressEvent:
    node: str
    percent: float
    message: str


@dataclass
class ComposeContext:
    """What a run may call out to; nothing here is checkpointed."""

    progress: Callable[[ProgressEvent], Awaitable[None] | None] | None = None
    persist: Callable[[Score, ComposeState], Awaitable[int | None]] | None = None
    read_brief: BriefReader | None = None  # an LLM; the deterministic parser is the fallback


async def _emit(runtime: Runtime[ComposeContext], node: str, message: str,
                percent: float | None = None) -> None:
    context = runtime.context
    if context is None or context.progress is None:
        return
    outcome = context.progress(ProgressEvent(node, _PERCENT[node] if percent is None
                                             else percent, message))
    if inspect.isawaitable(outcome):
        await outcome


def _request(state: ComposeState) -> ComposeRequest:
    return ComposeRequest.model_validate(state.get("request") or {"prompt": state["prompt"]})


def _brief(state: ComposeState) -> Brief:
    return Brief.model_validate(state["brief"])


def _base(state: ComposeState) -> Score | None:
    """The score operated on, without its audio tracks: samples are not instruments, and
    `finalize` puts them back unchanged."""
    base = state.get("base")
    return split_audio(Score.model_validate(base))[0] if base else None


def _with_base_audio(state: ComposeState, score: Score) -> Score:
    base = state.get("base")
    return restore_audio(score, split_audio(Score.model_validate(base))[1]) if base else score


# --- nodes ---------------------------------------------------------------------------------


async def interpret(state: ComposeState, runtime: Runtime[ComposeContext]) -> dict[str, Any]:
    request, base = _request(state), _base(state)
    await _emit(runtime, "interpret", "reading the brief", 1.0)
    if request.operation in NEEDS_MELODY and (base is None or melody_track_index(base) is None):
        raise OperationError(f"{request.operation.value} needs a score with a melody")
    previous = state.get("previous_brief")
    brief = brief_for(request, base, Brief.model_validate(previous) if previous else None)
    reader = runtime.context.read_brief if runtime.context else None
    if reader is not None and request.operation is Operation.COMPOSE and request.prompt:
        brief = await reader(request.prompt, request.overrides()) or brief
    understood = ", ".join(f"{k}: {v}" for k, v in brief.understood.items())
    await _emit(runtime, "interpret", f"{brief.style.value} in {brief.key.tonic} "
                f"{brief.key.mode.value}, {brief.tempo} bpm, {brief.meter}, {brief.bars} bars"
                + (f" ({understood})" if understood else ""))
    return {"brief": brief.model_dump(mode="json"), "warnings": list(brief.warnings),
            "repair_round": 0}


async def plan(state: ComposeState, runtime: Runtime[ComposeContext]) -> dict[str, Any]:
    form = plan_form(_brief(state))
    outline = " ".join(f"{s.name}({s.bars}{_changes_of(s)})" for s in form.sections)
    await _emit(runtime, "plan", f"form: {outline}")
    return {}


async def harmony(state: ComposeState, runtime: Runtime[ComposeContext]) -> dict[str, Any]:
    brief, request, base = _brief(state), _request(state), _base(state)
    form = plan_form(brief)
    melody = _base_melody(base)
    operation = request.operation
    if operation is Operation.COMPOSE or base is None:
        chords = await asyncio.to_thread(_keyed_harmony, form, [])
    elif operation in (Operation.REHARMONIZE, Operation.RESTYLE):
        chords = await asyncio.to_thread(_keyed_harmony, form, melody)
    else:
        old = harmony_from_score(base) or await asyncio.to_thread(
            harmony_step.compose_harmony, replace(form, seed=_original_seed(state, form)))
        start, end = _span(state, form)
        if operation is Operation.VARIATION or request.keep_chords:
            chords = old  # the chord track as it stands (the user's, where edited)
        else:  # regenerate and continue: new chords only inside the span
            fresh = await asyncio.to_thread(_keyed_fresh_harmony, form)
            chords = splice_chords(old, fresh, start, end)
    await _emit(runtime, "harmony", " ".join(c.chord.symbol for c in chords[:16])
                + (" ..." if len(chords) > 16 else ""))
    return {"harmony": chords_to_json(chords)}


async def melody(state: ComposeState, runtime: Runtime[ComposeContext]) -> dict[str, Any]:
    brief, request, base = _brief(state), _request(state), _base(state)
    form, chords = plan_form(brief), chords_from_json(state["harmony"])
    register = register_for(_melody_instrument(brief), Role.MELODY)
    old = _base_melody(base)
    operation = request.operation
    if operation is Operation.COMPOSE or base is None:
        notes = await asyncio.to_thread(_keyed_melody, form, chords, register,
                                        chord_histogram(chords), "melody")
    elif operation is Operation.REHARMONIZE:
        notes = old
    elif operation is Operation.RESTYLE:
        notes = _refelt_melody(state, form, old)
    else:
        bars = _span_bars(state, form)
        form = bars_by_key(form, bars)[0][0]  # one section: one key
        if operation is Operation.VARIATION:
            notes = await asyncio.to_thread(melody_step.vary_melody, form, chords, old, bars,
                                            register, request.amount)
        else:
            notes = await asyncio.to_thread(melody_step.resample_melody_bars, form, chords,
                                            old, bars, register, 0)
    await _emit(runtime, "melody", f"{len(notes)} melody notes")
    return {"melody": notes_to_json(notes)}


async def arrange(state: ComposeState, runtime: Runtime[ComposeContext]) -> dict[str, Any]:
    tracks = await asyncio.to_thread(_arranged_tracks, state)
    described = ", ".join(f"{t.name} ({len(t.notes)})" for t in tracks)
    await _emit(runtime, "arrange", described)
    return {"tracks": [t.model_dump(mode="json") for t in tracks]}


async def validate_node(state: ComposeState, runtime: Runtime[ComposeContext]) -> dict[str, Any]:
    brief = _brief(state)
    score = _assembled(state)
    report = await asyncio.to_thread(validate, score, brief.validation_style)
    summary = summarise(report, score)
    if _request(state).operation is Operation.COMPOSE and score.pitched_notes():
        # Heard in another key than the one asked for: the melody is drawn again.
        heard = home_key_notes(plan_form(brief), score.pitched_notes())
        margin = key_margin(note_histogram(heard), score.key) if heard else 0.0
        summary["key_margin"] = round(margin, 4)
        summary["repairable"] = summary["repairable"] or margin < 0
    # Progress never goes back: each repair round moves validate a little further on.
    await _emit(runtime, "validate", f"score {report.score}/100, {summary['errors']} errors, "
                f"{summary['warnings']} warnings", 80.0 + 4 * state.get("repair_round", 0))
    return {"score": score.model_dump(mode="json"), "report": summary}


async def repair(state: ComposeState, runtime: Runtime[ComposeContext]) -> dict[str, Any]:
    brief, score = _brief(state), Score.model_validate(state["score"])
    form, chords = plan_form(brief), chords_from_json(state["harmony"])
    round_ = state.get("repair_round", 0) + 1
    report = state["report"]
    if round_ >= MAX_REPAIR_ROUNDS:  # last resort: what is still wrong goes
        tracks, dropped = drop_offending_notes(score, report)
        warnings = [*state.get("warnings", []),
                    f"removed {dropped} notes the validator still rejected"] if dropped else \
            state.get("warnings", [])
        await _emit(runtime, "repair", f"round {round_}: removed {dropped} notes",
                    78.0 + 4 * round_)
        return {"tracks": tracks, "repair_round": round_, "warnings": warnings}
    bars = bars_to_repair(report)
    melody_bars = bars.get("melody", set())
    notes = notes_from_json(state["melody"])
    if report.get("key_margin", 0.0) < 0:
        register = register_for(_melody_instrument(brief), Role.MELODY)
        heard = note_histogram(n for t in score.tracks if not t.is_drum and t.role is not
                               Role.MELODY for n in t.notes)
        notes = await asyncio.to_thread(_keyed_melody, form, chords, register, heard,
                                        f"melody-repair-{round_}", REPAIR_DRAWS)
        melody_bars = set()  # a new melody: the old melody's faults went with it
    if melody_bars:
        register = register_for(_melody_instrument(brief), Role.MELODY)
        for keyed, group in bars_by_key(form, melody_bars):
            notes = await asyncio.to_thread(melody_step.resample_melody_bars, keyed, chords,
                                            notes, group, register, round_)
    repaired = await asyncio.to_thread(_arranged_tracks, {**state, "melody": notes_to_json(notes)},
                                       bars.get("accompaniment", set()), round_)
    await _emit(runtime, "repair", f"round {round_}: re-sampled bars "
                f"{sorted(melody_bars | bars.get('accompaniment', set()))}", 78.0 + 4 * round_)
    return {"melody": notes_to_json(notes), "repair_round": round_,
            "tracks": [t.model_dump(mode="json") for t in repaired]}


async def finalize(state: ComposeState, runtime: Runtime[ComposeContext]) -> dict[str, Any]:
    score = _with_base_audio(state, Score.model_validate(state["score"]))
    version = None
    if runtime.context is not None and runtime.context.persist is not None:
        await _emit(runtime, "finalize", "saving a new version")
        version = await runtime.context.persist(score, state)
    notes = sum(len(track.notes) for track in score.tracks)
    await _emit(runtime, "finalize", f"done: {score.bars} bars, {len(score.tracks)} tracks, "
                f"{notes} notes", 100.0)
    return {"version": version, "score": score.model_dump(mode="json")}


def _after_validate(state: ComposeState) -> str:
    report = state.get("report") or {}
    return "repair" if report.get("repairable") and \
        state.get("repair_round", 0) < MAX_REPAIR_ROUNDS else "finalize"


# --- helpers -------------------------------------------------------------------------------


def _changes_of(section: SectionPlan) -> str:
    """", C major, 140 bpm" for a section with a key or tempo of its own."""
    key = f", {section.key.tonic} {section.key.mode.value}" if section.key else ""
    return key + (f", {section.tempo} bpm" if section.tempo else "")


def _reseeded(form: Plan, part: str, draw: int) -> Plan:
    """Draw 0 is the plan itself; later draws get their own seed for this part only."""
    return form if draw == 0 else replace(
        form, seed=rng_for(form.seed, part, draw).randrange(2**32))


def _clear_harmony(form: Plan, melody: Sequence[Note]) -> list[ChordEvent]:
    """The harmony (fitted to `melody` when one is given) whose key is clearest."""
    heard = note_histogram(melody)

    def draw(index: int) -> list[ChordEvent]:
        return harmony_step.compose_harmony(_reseeded(form, "harmony", index),
                                            melody or None)

    def margin(chords: list[ChordEvent]) -> float:
        weights = [a + b for a, b in zip(chord_histogram(chords), heard, strict=True)]
        fit = key_margin(weights, form.key)
        # Where chords change at most once a bar, the chord held longest is heard as home;
        # two chords a bar (chorale, jazz) name the key by function and cadence instead.
        held = style_harmony(form.style).per_bar == 1
        return fit if not held or rests_on_tonic(chords, form.key) else min(fit, 0.0)

    return best_candidate(draw, margin)


def _keyed_harmony(form: Plan, melody: Sequence[Note]) -> list[ChordEvent]:
    """The clearest harmony, each section in its own key (`section_keys`)."""
    return in_section_keys(form, _clear_harmony(form, melody),
                           lambda keyed: _clear_harmony(keyed, melody), splice_chords)


def _keyed_fresh_harmony(form: Plan) -> list[ChordEvent]:
    """One draw of the harmony (no search for the clearest), each section in its key."""
    return in_section_keys(form, harmony_step.compose_harmony(form),
                           harmony_step.compose_harmony, splice_chords)


def _keyed_melody(form: Plan, chords: Sequence[ChordEvent], register: tuple[int, int],
                  accompaniment: Sequence[float], part: str,
                  draws: int = CANDIDATES) -> list[Note]:
    """The clearest melody, each section in its own key (`section_keys`)."""
    def clear(keyed: Plan) -> list[Note]:
        return _clear_melody(keyed, chords, register, accompaniment, part, draws)

    return in_section_keys(form, clear(form), clear, splice_notes)


def _clear_melody(form: Plan, chords: Sequence[ChordEvent], register: tuple[int, int],
                  accompaniment: Sequence[float], part: str,
                  draws: int = CANDIDATES) -> list[Note]:
    """The melody that, over `accompaniment` (a pitch-class histogram), is clearest in key."""
    def draw(index: int) -> list[Note]:
        return melody_step.compose_melody(_reseeded(form, part, index), chords, register)

    def margin(notes: list[Note]) -> float:
        weights = [a + b for a, b in zip(accompaniment, note_histogram(notes), strict=True)]
        return key_margin(weights, form.key)

    return best_candidate(draw, margin, draws)


def _base_melody(base: Score | None) -> list[Note]:
    index = melody_track_index(base) if base is not None else None
    return list(base.tracks[index].notes) if base is not None and index is not None else []


def _melody_instrument(brief: Brief) -> Instrument:
    for instrument in brief.instruments:
        if instrument.role is Role.MELODY:
            return instrument
    return brief.instruments[0] if brief.instruments else _PIANO


_PIANO: Final = Instrument(role=Role.MELODY, program=0, name="Piano")


def _refelt_melody(state: ComposeState, form: Plan, old: list[Note]) -> list[Note]:
    """A restyle keeps the melody's notes but plays them in the new style's feel: a swung
    melody is straightened by the feel of the brief that made it (when known), then swung
    at the new style's ratio, so it never sits straight against a swung band or the
    other way round."""
    previous = state.get("previous_brief")
    if previous:
        old = straight_notes(plan_form(Brief.model_validate(previous)), old)
    return swing_notes(form, old)


def _original_seed(state: ComposeState, form: Plan) -> int:
    previous = state.get("previous_brief")
    return int(previous["seed"]) if previous else form.seed


def _span(state: ComposeState, form: Plan) -> tuple[int, int]:
    bars = _span_bars(state, form)
    return form.bar_start(min(bars)), form.bar_start(max(bars) + 1)


def _span_bars(state: ComposeState, form: Plan) -> list[int]:
    """The bars an operation rewrites: one section, or the added bars."""
    request = _request(state)
    if request.operation is Operation.CONTINUE:
        return list(form.sections[-1].bars_range())
    index = section_index(request, _brief(state))
    return list(form.sections[index].bars_range())


def _arranged_tracks(state: ComposeState, only_bars: Collection[int] | None = None,
                     salt: int = 0) -> list[Track]:
    """Every track: the melody from the state, the accompaniment arranged (or, for an
    operation on a score, kept outside the bars the operation rewrites)."""
    brief, base = _brief(state), _base(state)
    form, chords = plan_form(brief), chords_from_json(state["harmony"])
    if salt:
        form = replace(form, seed=form.seed + 7919 * salt)
    melody = notes_from_json(state["melody"])
    previous = [Track.model_validate(t) for t in state.get("tracks") or []]
    spans = _rewrite_spans(state, form, only_bars, base is not None and not salt)
    tracks: list[Track] = []
    melody_done = False
    for index, instrument in enumerate(brief.instruments):
        if instrument.role is Role.MELODY and not melody_done:
            melody_done = True
            tracks.append(_keep_id(track_for(instrument, index, melody), base, index))
            continue
        if instrument.role is Role.MELODY:  # a second melody instrument: a counter-line
            instrument = instrument.model_copy(update={"role": Role.OTHER})
        ensemble = Ensemble(tuple(brief.instruments), index)
        new = _arranged_in_keys(form, chords, melody, instrument, ensemble)
        old = _old_notes(previous, base, index, salt)
        if spans is not None and old is not None:
            for start, end in spans:
                old = splice_notes(old, new, start, end)
            new = old
        tracks.append(_keep_id(track_for(instrument, index, new), base, index))
    return tracks


def _arranged_in_keys(form: Plan, chords: Sequence[ChordEvent], melody: Sequence[Note],
                      instrument: Instrument, ensemble: Ensemble) -> list[Note]:
    """`arrange_track`, each section in its own key (`section_keys`)."""
    def arranged(keyed: Plan) -> list[Note]:
        return list(arrange_track(keyed, chords, melody, instrument, ensemble))

    return in_section_keys(form, arranged(form), arranged, splice_notes)


def _rewrite_spans(state: ComposeState, form: Plan, only_bars: Collection[int] | None,
                   on_base: bool) -> list[tuple[int, int]] | None:
    """None: arrange everything afresh. Otherwise the tick spans to replace."""
    if only_bars is not None:
        return [(form.bar_start(bar), form.bar_start(bar + 1)) for bar in sorted(only_bars)]
    if not on_base:
        return None
    operation = _request(state).operation
    if operation in (Operation.REHARMONIZE, Operation.RESTYLE):
        return None
    return [_span(state, form)]


def _old_notes(previous: list[Track], base: Score | None, index: int,
               salt: int) -> list[Note] | None:
    if salt and index < len(previous):
        return list(previous[index].notes)
    if base is not None and index < len(base.tracks):
        return list(base.tracks[index].notes)
    return None


def _keep_id(track: Track, base: Score | None, index: int) -> Track:
    """An operation keeps the score's track ids (mix settings and edits refer to them)."""
    if base is not None and index < len(base.tracks):
        return track.model_copy(update={"id": base.tracks[index].id,
                                        "volume": base.tracks[index].volume,
                                        "pan": base.tracks[index].pan,
                                        "mute": base.tracks[index].mute,
                                        "solo": base.tracks[index].solo,
                                        "colour": base.tracks[index].colour})
    return track


def _assembled(state: ComposeState) -> Score:
    brief = _brief(state)
    form = plan_form(brief)
    chords: list[ChordEvent] = chords_from_json(state["harmony"])
    tracks = [Track.model_validate(t) for t in state["tracks"]]
    return assemble_score(brief, form, chords, tracks)


def build_graph(checkpointer: Checkpointer = None) -> CompiledStateGraph[
        ComposeState, ComposeContext, ComposeState, ComposeState]:
    builder = StateGraph(ComposeState, context_schema=ComposeContext)
    builder.add_node("interpret", interpret)
    builder.add_node("plan", plan)
    builder.add_node("harmony", harmony)
    builder.add_node("melody", melody)
    builder.add_node("arrange", arrange)
    builder.add_node("validate", validate_node)
    builder.add_node("repair", repair)
    builder.add_node("finalize", finalize)
    builder.add_edge(START, "interpret")
    for before, after in (("interpret", "plan"), ("plan", "harmony"), ("harmony", "melody"),
                          ("melody", "arrange"), ("arrange", "validate"),
                          ("repair", "validate")):
        builder.add_edge(before, after)
    builder.add_conditional_edges("validate", _after_validate, ["repair", "finalize"])
    builder.add_edge("finalize", END)
    return builder.compile(checkpointer=checkpointer)
