"""Import, export and validation endpoints of a project's score."""

from __future__ import annotations

from typing import Any, get_args

import httpx
from music21 import converter

from ariaforge.music.interchange import read_midi, write_midi, write_musicxml
from ariaforge.music.score import Key, Mode, Note, Role, Score, Track
from ariaforge.music.validation import STYLES
from ariaforge.scores.schemas import Style
from tests.conftest import assert_error, new_user
from tests.ops.test_ops import metric_value

API = "/api/v1/projects"


def little_piece() -> Score:
    melody = [Note(pitch=p, start=i * 480, duration=480) for i, p in
              enumerate([62, 64, 65, 67, 69, 67, 65, 64])]
    bass = [Note(pitch=p, start=i * 1920, duration=1920) for i, p in enumerate([38, 45])]
    return Score(tempo=100, key=Key(tonic="D", mode=Mode.MINOR), bars=2, tracks=[
        Track(id="m", name="Flute", role=Role.MELODY, program=73, notes=melody),
        Track(id="b", name="Cello", role=Role.BASS, program=42, notes=bass)])


def played(score: Score) -> list[tuple[int, int, int]]:
    return sorted((n.pitch, n.start, n.duration) for _, n in score.all_notes())


async def new_project(client: httpx.AsyncClient,
                      name: str = "Sea Shanty") -> tuple[str, dict[str, str]]:
    _, owner = await new_user(client)
    created = await client.post(API, headers=owner, json={"name": name})
    return created.json()["id"], owner


async def upload(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                 filename: str, data: bytes) -> httpx.Response:
    return await client.post(f"{API}/{project}/import", headers=headers,
                             files={"file": (filename, data, "application/octet-stream")})


async def test_import_midi_replaces_the_score_and_records_a_version(
        client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    response = await upload(client, project, owner, "tune.mid", write_midi(little_piece()))
    assert response.status_code == 200, response.text
    imported = Score.model_validate(response.json()["score"])
    assert played(imported) == played(little_piece())
    assert imported.tempo == 100
    assert response.json()["revision"] == 2
    latest = (await client.get(f"{API}/{project}/versions", headers=owner)).json()["items"][0]
    assert latest["reason"] == "imported"
    assert latest["summary"] == "imported tune.mid: 2 tracks, 10 notes"


async def test_import_musicxml_and_abc(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    xml = await upload(client, project, owner, "tune.musicxml", write_musicxml(little_piece()))
    assert xml.status_code == 200, xml.text
    assert played(Score.model_validate(xml.json()["score"])) == played(little_piece())
    abc = b"X:1\nT:Scale\nM:4/4\nL:1/4\nK:G\nGABc|d4|]\n"
    answer = await upload(client, project, owner, "scale.abc", abc)
    assert answer.status_code == 200, answer.text
    notes = [n.pitch for n in Score.model_validate(answer.json()["score"]).pitched_notes()]
    assert notes == [67, 69, 71, 72, 74]


async def test_unreadable_or_huge_files_are_refused_and_nothing_changes(
        client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    await upload(client, project, owner, "tune.mid", write_midi(little_piece()))
    before = (await client.get(f"{API}/{project}/score", headers=owner)).json()
    for name, data in [("junk.mid", b"MThd\x00\x00\x00\x06garbage"), ("x.txt", b"\x00\x01"),
                       ("empty.mid", b""), ("bad.musicxml", b"<score-partwise><oops")]:
        error = assert_error(await upload(client, project, owner, name, data), 422,
                             "VALIDATION_ERROR")
        assert error["details"][0]["loc"] == ["body", "file"]
    too_big = await upload(client, project, owner, "big.mid", b"M" * (16 * 1024 * 1024 + 10))
    assert_error(too_big, 413, "PAYLOAD_TOO_LARGE")
    missing = await client.post(f"{API}/{project}/import", headers=owner)
    assert_error(missing, 422, "VALIDATION_ERROR")
    # music21 fails on this with its own exception text; the answer says what we know.
    odd = (b'<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>A'
           b'</part-name></score-part></part-list><part id="P1"><measure number="1">'
           b"<note><pitch><step>C</step><octave>4</octave></pitch><duration>x</duration>"
           b"</note></measure></part></score-partwise>")
    error = assert_error(await upload(client, project, owner, "odd.musicxml", odd), 422,
                         "VALIDATION_ERROR")
    assert error["message"] == ("cannot import odd.musicxml: the file could not be read as "
                                "MusicXML: it is damaged, or uses notation AriaForge cannot "
                                "import")
    assert (await client.get(f"{API}/{project}/score", headers=owner)).json() == before


async def test_exports(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client, "Sea Shanty / No. 5")
    await upload(client, project, owner, "tune.mid", write_midi(little_piece()))
    midi = await client.get(f"{API}/{project}/export.mid", headers=owner)
    assert midi.status_code == 200
    assert midi.headers["content-type"] == "audio/midi"
    assert midi.headers["content-disposition"] == (
        "attachment; filename=\"Sea Shanty No. 5.mid\"; "
        "filename*=UTF-8''Sea%20Shanty%20No.%205.mid")
    assert played(read_midi(midi.content)) == played(little_piece())

    xml = await client.get(f"{API}/{project}/export.musicxml", headers=owner)
    assert xml.status_code == 200
    assert xml.headers["content-type"].startswith("application/vnd.recordare.musicxml+xml")
    parsed = converter.parseData(xml.content.decode(), format="musicxml")
    exported = sorted((p.midi, round(n.getOffsetInHierarchy(parsed) * 480))
                      for n in parsed.stripTies().recurse().notes for p in n.pitches)
    assert exported == sorted((p, s) for p, s, _ in played(little_piece()))


async def test_validate_reports_and_counts(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    viewer_email, viewer = await new_user(client, "viewer")
    await client.post(f"{API}/{project}/members", headers=owner,
                      json={"email": viewer_email, "role": "viewer"})
    leap = little_piece()
    leap.tracks[0].notes[1] = Note(id="leap", pitch=80, start=480, duration=480)
    await upload(client, project, owner, "tune.mid", write_midi(leap))

    before = metric_value((await client.get("/metrics")).text, "music_theory_validations_total")
    report = await client.post(f"{API}/{project}/validate", headers=viewer)
    assert report.status_code == 200, report.text
    body: dict[str, Any] = report.json()
    assert 0 <= body["score"] < 100
    assert body["style"] == "common-practice"
    rules = {v["rule"] for v in body["violations"]}
    assert "large-leap" in rules
    leap_violation = next(v for v in body["violations"] if v["rule"] == "large-leap")
    assert leap_violation["bar"] == 1 and leap_violation["beat"] == 2.0
    after = metric_value((await client.get("/metrics")).text, "music_theory_validations_total")
    assert after - before == 1

    quieter = await client.post(f"{API}/{project}/validate", headers=owner,
                                json={"style": "blues", "disabled_rules": ["large-leap"]})
    assert "large-leap" not in {v["rule"] for v in quieter.json()["violations"]}
    assert_error(await client.post(f"{API}/{project}/validate", headers=owner,
                                   json={"style": "polka"}), 422, "VALIDATION_ERROR")
    assert_error(await client.post(f"{API}/{project}/validate", headers=owner,
                                   json={"disabled_rules": ["nope"]}), 422, "VALIDATION_ERROR")


def test_the_api_offers_every_validation_style() -> None:
    assert set(get_args(Style)) == set(STYLES)
