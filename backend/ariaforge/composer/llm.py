"""Optional: an LLM reads the brief when `OPENAI_API_KEY` or `ANTHROPIC_API_KEY` is set.

The model answers with JSON for the fields of `LLMBrief`; the answer is validated and then
goes through the same `parse_brief` as the deterministic reader, as overrides that the
request's explicit fields still win over. Any error, an invalid answer or a timeout falls
back to the deterministic parser (the caller gets None), so a flaky provider never fails a
composition. Nothing here is needed to run AriaForge.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Final

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ariaforge.composer.brief import MAX_BRIEF_BARS, Brief, BriefOverrides, parse_brief
from ariaforge.composer.vocabulary import Mood, Style
from ariaforge.music.score import Meter, Mode

__all__ = ["LLM_TIMEOUT_S", "BriefReader", "LLMBrief", "brief_reader_from_env", "llm_brief_reader"]

logger = logging.getLogger(__name__)

BriefReader = Callable[[str, BriefOverrides], Awaitable[Brief | None]]
LLM_TIMEOUT_S: Final = 8.0


class LLMBrief(BaseModel):
    """What the model may fill; every field optional, unknown fields rejected."""

    model_config = ConfigDict(extra="forbid")

    style: Style | None = None
    mood: Mood | None = None
    tonic: str | None = Field(default=None, max_length=3, pattern=r"^[A-G][#b]?$")
    mode: Mode | None = None
    tempo: int | None = Field(default=None, ge=30, le=300)
    meter: str | None = Field(default=None, pattern=r"^\d{1,2}/(1|2|4|8|16|32)$")
    bars: int | None = Field(default=None, ge=1, le=MAX_BRIEF_BARS)
    instruments: list[str] | None = Field(default=None, max_length=16)


_SYSTEM: Final = (
    "You turn a music brief into JSON with these optional keys: "
    f"style (one of {', '.join(s.value for s in Style)}), "
    f"mood (one of {', '.join(m.value for m in Mood)}), tonic (A-G with optional # or b), "
    f"mode (one of {', '.join(m.value for m in Mode)}), tempo (quarter-note bpm, 30-300), "
    f"meter (like 3/4), bars (1-{MAX_BRIEF_BARS}), instruments (General MIDI names). "
    "Leave out anything the brief does not imply. Answer with the JSON object only.")
_JSON: Final = re.compile(r"\{.*\}", re.DOTALL)


def llm_brief_reader(model: BaseChatModel, timeout_s: float = LLM_TIMEOUT_S) -> BriefReader:
    async def read(prompt: str, overrides: BriefOverrides) -> Brief | None:
        try:
            answer = await asyncio.wait_for(model.ainvoke(
                [SystemMessage(_SYSTEM), HumanMessage(prompt)]), timeout_s)
            suggested = _parse_answer(str(answer.content))
            return parse_brief(prompt, _merge(suggested, overrides))
        except (TimeoutError, ValidationError, ValueError) as error:
            logger.warning("LLM brief reader fell back to the parser: %s", error)
        except Exception:  # a provider error of any kind: the parser still works
            logger.exception("LLM brief reader failed; using the parser")
        return None
    return read


def _parse_answer(text: str) -> LLMBrief:
    match = _JSON.search(text)
    if match is None:
        raise ValueError("the model's answer holds no JSON object")
    return LLMBrief.model_validate(json.loads(match.group(0)))


def _merge(suggested: LLMBrief, overrides: BriefOverrides) -> BriefOverrides:
    """The model's reading, with the request's explicit fields on top."""
    values = suggested.model_dump(exclude_none=True)
    if "meter" in values:
        values["meter"] = Meter.parse(values["meter"])
    explicit = overrides.model_dump(exclude_none=True)
    if overrides.meter is not None:
        explicit["meter"] = overrides.meter
    if overrides.instruments is not None:
        explicit["instruments"] = overrides.instruments
    return BriefOverrides.model_validate({**values, **explicit})


def brief_reader_from_env() -> BriefReader | None:
    """A reader on the provider whose key is set (OpenAI first), or None."""
    try:
        if os.environ.get("OPENAI_API_KEY"):
            from langchain_openai import ChatOpenAI

            model = os.environ.get("ARIAFORGE_LLM_MODEL", "gpt-4o-mini")
            return llm_brief_reader(ChatOpenAI(model=model, temperature=0, timeout=LLM_TIMEOUT_S))
        if os.environ.get("ANTHROPIC_API_KEY"):
            from langchain_anthropic import ChatAnthropic

            model = os.environ.get("ARIAFORGE_LLM_MODEL", "claude-3-5-haiku-latest")
            return llm_brief_reader(ChatAnthropic(  # type: ignore[call-arg]
                model_name=model, temperature=0, timeout=LLM_TIMEOUT_S))
    except Exception:  # a broken provider package must not stop composing
        logger.exception("could not set up the LLM brief reader; using the parser")
    return None
