"""Downloads are named after the project ("Rainy waltz - mix.mp3", "Rainy waltz.mid"):
an ASCII `filename` for old clients and the exact UTF-8 name as `filename*`, with
separators, quotes and control characters taken out, and a bounded length."""

from __future__ import annotations

from email.message import Message
from email.utils import collapse_rfc2231_value

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.music.interchange import write_midi
from ariaforge.scores.download_names import (
    MAX_STEM,
    ascii_fallback,
    clean_stem,
    content_disposition,
    download_name,
)
from tests.conftest import new_user
from tests.exports.test_exports_api import song, work_until_done

API = "/api/v1"


def saved_as(header: str) -> tuple[str, str]:
    """(the name a browser saves under, the ASCII fallback), read by the standard
    library's RFC 2231 parser, not ours."""
    message = Message()
    message["content-disposition"] = header
    assert message.get_content_disposition() == "attachment"
    # RFC 2231 decoding turns filename* into ("filename", (charset, language, text)).
    found = [value for key, value in message.get_params(header="content-disposition") or []
             if key == "filename"]
    exact = [collapse_rfc2231_value(v) for v in found if isinstance(v, tuple)]
    plain = [v for v in found if isinstance(v, str)]
    assert len(exact) == len(plain) == 1, header
    return exact[0], plain[0]


async def project_named(client: httpx.AsyncClient, name: str) -> tuple[str, dict[str, str]]:
    _, owner = await new_user(client, "owner")
    project = (await client.post(f"{API}/projects", headers=owner,
                                 json={"name": name})).json()["id"]
    upload = await client.post(f"{API}/projects/{project}/import", headers=owner, files={
        "file": ("song.mid", write_midi(song()), "audio/midi")})
    assert upload.status_code == 200, upload.text
    return project, owner


@pytest.mark.parametrize(("project_name", "stem", "fallback_stem"), [
    ("Rainy waltz", "Rainy waltz", "Rainy waltz"),
    ("Café «雨» / night", "Café «雨» night", "Cafe night"),
])
async def test_an_export_downloads_under_the_projects_name(
        app: FastAPI, client: httpx.AsyncClient, project_name: str, stem: str,
        fallback_stem: str) -> None:
    project, owner = await project_named(client, project_name)
    answer = await client.post(f"{API}/projects/{project}/exports", headers=owner, json={
        "format": "mp3", "include_stems": True, "include_midi": True,
        "include_musicxml": True})
    assert answer.status_code == 202, answer.text
    export = await work_until_done(app, client, answer.json()["id"], owner)
    assert export["status"] == "succeeded", export

    names = {}
    for item in export["files"]:
        download = await client.get(item["url"], headers=owner)
        assert download.status_code == 200, item
        names[item["name"]] = saved_as(download.headers["content-disposition"])
    assert names["mix.mp3"] == (f"{stem} - mix.mp3", f"{fallback_stem} - mix.mp3")
    assert names["score.mid"] == (f"{stem}.mid", f"{fallback_stem}.mid")
    assert names["score.musicxml"] == (f"{stem}.musicxml", f"{fallback_stem}.musicxml")
    assert names["export.zip"] == (f"{stem} - export.zip", f"{fallback_stem} - export.zip")
    stems = sorted(exact for name, (exact, _) in names.items() if name.startswith("stem-"))
    assert stems == [f"{stem} - {track}.mp3" for track in ("Bass", "Kit", "Lead")]

    midi = await client.get(f"{API}/projects/{project}/export.mid", headers=owner)
    assert saved_as(midi.headers["content-disposition"]) == (f"{stem}.mid",
                                                             f"{fallback_stem}.mid")
    xml = await client.get(f"{API}/projects/{project}/export.musicxml", headers=owner)
    assert saved_as(xml.headers["content-disposition"])[0] == f"{stem}.musicxml"


@pytest.mark.parametrize(("name", "stem"), [
    ("../../etc/passwd", "etc passwd"),
    ('Say "hi" \\ bye', "Say hi bye"),
    ("tab\there\nnewline", "tab here newline"),
    ("evil\u202ecod.exe", "evil cod.exe"),  # a right-to-left override hides the extension
    ("zero\u200bwidth", "zero width"),
    ("...", "AriaForge"),
    ("  ", "AriaForge"),
    ("C:stuff|x?*<>", "C stuff x"),
])
def test_names_are_cleaned(name: str, stem: str) -> None:
    assert clean_stem(name) == stem


def test_names_are_bounded_and_headers_stay_one_line() -> None:
    long = "ß" * 500
    filename = download_name(long, " - mix.mp3")
    assert filename == "ß" * MAX_STEM + " - mix.mp3"
    header = content_disposition(filename)
    assert "\n" not in header and "\r" not in header
    assert saved_as(header)[0] == filename
    assert ascii_fallback("雨.mid") == "AriaForge.mid"
    assert ascii_fallback("雨 - mix.mp3") == "mix.mp3"
