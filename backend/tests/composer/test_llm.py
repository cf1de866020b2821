"""The optional LLM brief reader, on LangChain's fake chat models (never a network)."""

from __future__ import annotations

import json

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from ariaforge.composer.brief import BriefOverrides, parse_brief
from ariaforge.composer.llm import BriefReader, brief_reader_from_env, llm_brief_reader
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Meter, Mode


def reader(*answers: str, sleep: float | None = None, timeout_s: float = 5.0) -> BriefReader:
    return llm_brief_reader(FakeListChatModel(responses=list(answers), sleep=sleep), timeout_s)


async def test_the_models_reading_fills_the_brief() -> None:
    answer = json.dumps({"style": "bossa-nova", "tonic": "Eb", "mode": "major",
                         "tempo": 128, "bars": 24, "instruments": ["flute", "nylon guitar"]})
    brief = await reader(f"Sure! {answer}")("something breezy by the sea", BriefOverrides())
    assert brief is not None
    assert brief.style is Style.BOSSA_NOVA
    assert (brief.key.tonic, brief.key.mode, brief.tempo, brief.bars) == ("Eb", Mode.MAJOR,
                                                                         128, 24)
    assert [i.program for i in brief.instruments][:2] == [73, 24]  # GM flute, nylon guitar


async def test_explicit_request_fields_win_over_the_model() -> None:
    answer = json.dumps({"style": "waltz", "meter": "3/4", "tempo": 90, "tonic": "D",
                         "mode": "minor"})
    overrides = BriefOverrides(tempo=140, tonic="G", meter=Meter(numerator=4, denominator=4))
    brief = await reader(answer)("a dance", overrides)
    assert brief is not None
    assert brief.style is Style.WALTZ
    assert brief.tempo == 140 and brief.key.tonic == "G" and str(brief.meter) == "4/4"


@pytest.mark.parametrize("answer", [
    "I cannot help with that.",  # no JSON at all
    '{"style": "polka"}',  # not one of our styles
    '{"tempo": 9000}',  # out of range
    '{"style": "pop", "colour": "blue"}',  # a field the schema does not have
    '{"tonic": "H"}',
])
async def test_invalid_answers_fall_back_to_the_parser(answer: str) -> None:
    assert await reader(answer)("a jig in G", BriefOverrides()) is None


async def test_a_slow_model_times_out_and_falls_back() -> None:
    slow = reader('{"style": "pop"}', sleep=2.0, timeout_s=0.05)
    assert await slow("a jig in G", BriefOverrides()) is None
    # ... and what the graph then uses is the deterministic parser's reading.
    assert parse_brief("a jig in G").style is Style.JIG


def test_no_key_means_no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert brief_reader_from_env() is None


def test_a_key_builds_a_reader_without_calling_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-not-a-real-key")
    assert callable(brief_reader_from_env())
