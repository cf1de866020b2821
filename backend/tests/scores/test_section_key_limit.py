"""At most MAX_SECTION_KEYS keys besides the home key across a score's sections: each one
costs the composer a whole re-composition, so the limit is checked wherever a score is
stored, on both sides of its edge."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from ariaforge.music.score import MAX_SECTION_KEYS, Score
from tests.conftest import assert_error, new_user

API = "/api/v1/projects"
TONICS = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def keyed_score(keys: int) -> dict[str, Any]:
    """One two-bar section per key, after the first (home-key) section; the keys are the
    twelve minor keys, then major ones from C#, none of them the home key (C major)."""
    sections: list[dict[str, Any]] = [{"name": "home", "start_bar": 1, "bars": 2}]
    for index in range(keys):
        key = ({"tonic": TONICS[index], "mode": "minor"} if index < 12
               else {"tonic": TONICS[(index - 11) % 12], "mode": "major"})
        sections.append({"name": f"s{index}", "start_bar": 3 + 2 * index, "bars": 2,
                         "key": key})
    return {"bars": 2 + 2 * keys, "key": {"tonic": "C", "mode": "major"},
            "sections": sections}


def test_the_limit_counts_distinct_keys_other_than_the_home_key() -> None:
    Score.model_validate(keyed_score(MAX_SECTION_KEYS))
    with pytest.raises(ValidationError) as caught:
        Score.model_validate(keyed_score(MAX_SECTION_KEYS + 1))
    assert f"at most {MAX_SECTION_KEYS} keys" in str(caught.value)
    # Repeating a key, or naming the home key, costs nothing more: still accepted.
    data = keyed_score(MAX_SECTION_KEYS)
    data["sections"][0]["key"] = {"tonic": "C", "mode": "major"}
    data["sections"].append({"name": "again", "start_bar": 1, "bars": 4,
                             "key": data["sections"][1]["key"]})
    assert len(Score.model_validate(data).sections) == MAX_SECTION_KEYS + 2


async def test_put_score_with_too_many_section_keys_is_refused(
        client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client, "owner")
    created = await client.post(API, headers=owner, json={"name": "Modulations"})
    assert created.status_code == 201, created.text
    url = f"{API}/{created.json()['id']}/score"
    refused = await client.put(url, headers=owner, json={
        "score": keyed_score(MAX_SECTION_KEYS + 1), "revision": 1})
    assert_error(refused, 422, "VALIDATION_ERROR")
    assert f"at most {MAX_SECTION_KEYS} keys" in refused.text
    kept = await client.put(url, headers=owner, json={
        "score": keyed_score(MAX_SECTION_KEYS), "revision": 1})
    assert kept.status_code == 200, kept.text
    stored = (await client.get(url, headers=owner)).json()["score"]
    assert len({(s["key"]["tonic"], s["key"]["mode"]) for s in stored["sections"]
                if s["key"]}) == MAX_SECTION_KEYS
