"""`ariaforge compose`: a brief in words to MIDI/MusicXML (and audio), with a progress bar,
no services needed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

SCORE_FORMATS: Final = {".mid": "midi", ".midi": "midi", ".musicxml": "musicxml",
                        ".xml": "musicxml", ".json": "json"}


def compose_file(prompt: str, output: Path, *, audio: Path | None, musicxml: bool,
                 fields: dict[str, object]) -> int:
    from ariaforge.composer.graph import ProgressEvent
    from ariaforge.composer.operations import ComposeRequest
    from ariaforge.composer.run import compose

    kind = SCORE_FORMATS.get(output.suffix.lower())
    if kind is None:
        typer.echo(f"error: unknown output format {output.suffix!r}; use one of "
                   f"{', '.join(SCORE_FORMATS)}", err=True)
        return 2
    try:
        request = ComposeRequest.model_validate(
            {"prompt": prompt, **{k: v for k, v in fields.items() if v is not None}})
    except ValidationError as error:
        for problem in error.errors(include_input=False):
            typer.echo(f"error: {'.'.join(map(str, problem['loc']))}: {problem['msg']}",
                       err=True)
        return 2
    with Progress(TextColumn("{task.description:<10}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                  transient=False) as bar:
        task = bar.add_task("starting", total=100)

        def progress(event: ProgressEvent) -> None:
            bar.update(task, completed=event.percent, description=event.node)

        try:
            result = compose(request, progress=progress, use_llm=True)
        except ValueError as error:
            typer.echo(f"error: {error}", err=True)
            return 1
    brief = result.brief
    typer.echo(f"{brief.style.value}, {brief.mood.value}: {brief.key.tonic} "
               f"{brief.key.mode.value}, {brief.tempo} bpm, {brief.meter}, {brief.bars} bars; "
               + ", ".join(i.name for i in brief.instruments))
    for warning in result.warnings:
        typer.echo(f"note: {warning}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(_encode(result.score, kind))
    typer.echo(f"wrote {output} (validator score {result.validation.get('score')}/100, "
               f"{result.validation.get('errors', 0)} errors)")
    if musicxml and kind != "musicxml":
        sheet = output.with_suffix(".musicxml")
        sheet.write_bytes(_encode(result.score, "musicxml"))
        typer.echo(f"wrote {sheet}")
    if audio is not None:
        from ariaforge.cli_render import write_audio

        return write_audio(result.score, audio)
    return 0


def _encode(score: object, kind: str) -> bytes:
    from ariaforge.music.interchange import write_midi, write_musicxml
    from ariaforge.music.score import Score

    assert isinstance(score, Score)
    if kind == "midi":
        return write_midi(score)
    if kind == "musicxml":
        return write_musicxml(score)
    return json.dumps(score.model_dump(mode="json"), indent=1).encode()
