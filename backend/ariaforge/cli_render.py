"""`ariaforge render`: a score file to audio, with a progress bar, no services needed."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ariaforge.music.score import Score

FORMATS = {".wav": "wav", ".mp3": "mp3", ".flac": "flac", ".ogg": "ogg", ".opus": "opus"}


def render_file(source: Path, output: Path, *, sample_rate: int, lufs: float, stems: bool,
                soundfont: Path | None) -> int:
    from ariaforge.music.interchange import InterchangeError, read_any

    try:
        score = read_any(source.name, source.read_bytes())
    except InterchangeError as error:
        typer.echo(f"error: cannot read {source}: {error}", err=True)
        return 1
    return write_audio(score, output, sample_rate=sample_rate, lufs=lufs, stems=stems,
                       soundfont=soundfont)


def write_audio(score: Score, output: Path, *, sample_rate: int = 44100, lufs: float = -14.0,
                stems: bool = False, soundfont: Path | None = None) -> int:
    """Render `score` to `output` (format from its extension) with a progress bar."""
    from ariaforge.audio.errors import RenderError
    from ariaforge.audio.options import MixSettings, RenderOptions
    from ariaforge.audio.pipeline import render_score
    from ariaforge.config import get_settings

    audio_format = FORMATS.get(output.suffix.lower())
    if audio_format is None:
        typer.echo(f"error: unknown output format {output.suffix!r}; use one of "
                   f"{', '.join(FORMATS)}", err=True)
        return 2
    if sample_rate not in (44100, 48000):
        typer.echo("error: --sample-rate must be 44100 or 48000", err=True)
        return 2
    settings = get_settings()
    options = RenderOptions(format=audio_format,
                            sample_rate=48000 if audio_format == "opus" else sample_rate,
                            target_lufs=lufs, include_stems=stems)
    with Progress(TextColumn("{task.description:<10}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn()) as bar, \
            tempfile.TemporaryDirectory(prefix="ariaforge-render-") as folder:
        task = bar.add_task("starting", total=100)

        def progress(percent: float, stage: str, _message: str) -> None:
            bar.update(task, completed=percent, description=stage)

        try:
            result = render_score(score, MixSettings(), options, Path(folder),
                                  soundfont_path=soundfont or settings.soundfont_path,
                                  ffmpeg_binary=settings.ffmpeg_binary, progress=progress)
        except RenderError as error:
            typer.echo(f"error: {error}", err=True)
            return 1
        bar.update(task, completed=100, description="done")
        for item in result.files:
            target = output if item.kind == "mix" else output.with_name(
                f"{output.stem}.{item.track_id}{output.suffix}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.path, target)
    quality = result.quality
    typer.echo(f"wrote {output} ({result.seconds_of_audio:.1f} s of audio in "
               f"{result.render_seconds:.1f} s; {quality.integrated_lufs} LUFS, "
               f"{quality.true_peak_dbtp} dBTP)")
    return 0
