"""What the validate -> repair loop acts on: which bars of which part to re-sample, and,
when rounds run out, which notes to drop so no hard error reaches the user."""

from __future__ import annotations

from typing import Any, Final

from ariaforge.music.score import Role, Score, Track
from ariaforge.music.validation.model import Report, Severity

__all__ = ["REPAIRED_RULES", "bars_to_repair", "drop_offending_notes", "summarise"]

# Errors always; and the warnings a re-sampled bar can fix (a harmony warning such as a weak
# progression is a matter of taste, not worth a round).
REPAIRED_RULES: Final = frozenset({"overlapping-notes", "note-past-end", "instrument-range",
                                   "large-leap", "augmented-second"})


def summarise(report: Report, score: Score) -> dict[str, Any]:
    """The report as JSON the graph state can hold, each violation tagged with its part."""
    roles = {track.id: track.role.value for track in score.tracks}
    wanted = [v for v in report.violations if v.severity is Severity.ERROR
              or v.rule in REPAIRED_RULES]
    return {
        "score": report.score, "style": report.style,
        "errors": report.counts.get(Severity.ERROR, 0),
        "warnings": report.counts.get(Severity.WARNING, 0),
        "repairable": bool(wanted),
        "violations": [{"rule": v.rule, "severity": v.severity.value, "bar": v.bar,
                        "track_id": v.track_id, "role": roles.get(v.track_id or ""),
                        "note_ids": v.note_ids} for v in wanted],
    }


def bars_to_repair(summary: dict[str, Any]) -> dict[str, set[int]]:
    """{"melody": bars, "accompaniment": bars} to re-sample."""
    out: dict[str, set[int]] = {"melody": set(), "accompaniment": set()}
    for violation in summary.get("violations", []):
        if violation["bar"] is None:
            continue
        part = "melody" if violation["role"] == Role.MELODY.value else "accompaniment"
        out[part].add(int(violation["bar"]))
    return out


def drop_offending_notes(score: Score, summary: dict[str, Any]) -> tuple[list[dict[str, Any]],
                                                                        int]:
    """The score's tracks (JSON) without the notes that hard errors name."""
    doomed = {note_id for v in summary.get("violations", []) if v["severity"] == "error"
              for note_id in v["note_ids"]}
    tracks: list[Track] = []
    dropped = 0
    for track in score.tracks:
        kept = [note for note in track.notes if note.id not in doomed]
        dropped += len(track.notes) - len(kept)
        tracks.append(track.model_copy(update={"notes": kept}))
    return [t.model_dump(mode="json") for t in tracks], dropped
