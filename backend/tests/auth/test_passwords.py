"""Argon2 cost as a setting: new hashes use it, hashes made at any cost keep verifying."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from argon2.profiles import get_default_parameters

from ariaforge.auth import passwords
from ariaforge.config import Settings

RIGHT = "violet-harbor-gravel-42"
WRONG = "violet-harbor-gravel-43"


def cheap() -> Settings:
    return Settings(password_hash_time_cost=1, password_hash_memory_kib=32)


@pytest.fixture
def production_cost(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings a deployment gets when it sets no cost (tests/conftest sets one)."""
    monkeypatch.delenv("PASSWORD_HASH_TIME_COST", raising=False)
    monkeypatch.delenv("PASSWORD_HASH_MEMORY_KIB", raising=False)
    return Settings()


async def test_new_hashes_record_the_configured_cost() -> None:
    settings = cheap()
    parameters = extract_parameters(await passwords.hash_password(RIGHT, settings))
    assert (parameters.time_cost, parameters.memory_cost) == (1, 32)
    assert parameters == extract_parameters(passwords.dummy_hash(settings))


async def test_a_hash_at_the_default_cost_verifies_under_a_cheap_setting(
        production_cost: Settings) -> None:
    stored = await passwords.hash_password(RIGHT, production_cost)
    # Unchanged for deployments: argon2-cffi's recommended parameters.
    assert extract_parameters(stored) == get_default_parameters()
    assert await passwords.verify_password(stored, RIGHT, cheap())


async def test_a_cheap_hash_verifies_under_the_default_cost(production_cost: Settings) -> None:
    stored = await passwords.hash_password(RIGHT, cheap())
    assert await passwords.verify_password(stored, RIGHT, production_cost)
    assert not await passwords.verify_password(stored, WRONG, production_cost)


async def test_no_account_never_verifies_but_costs_a_verification() -> None:
    settings = cheap()
    assert not await passwords.verify_password(None, RIGHT, settings)
    assert not await passwords.verify_password("", RIGHT, settings)
    assert not await passwords.verify_password("not-an-argon2-hash", RIGHT, settings)
    # What makes both paths cost the same: the stand-in has the configured cost.
    assert extract_parameters(passwords.dummy_hash(settings)) == extract_parameters(
        passwords.hasher(settings).hash(RIGHT))


async def test_a_burst_of_hashes_runs_at_most_the_configured_number_at_once() -> None:
    """Memory is PASSWORD_HASHES_AT_ONCE x the memory cost, however many sign-ups arrive."""
    import asyncio

    settings = Settings(password_hash_time_cost=2, password_hash_memory_kib=16_384,
                        password_hashes_at_once=2)
    slots = passwords._hash_slots(settings)
    most_running = most_waiting = 0
    burst = [asyncio.create_task(passwords.hash_password(f"burst-{n} Str0ng words", settings))
             for n in range(8)]
    while not all(task.done() for task in burst):
        most_running = max(most_running, int(slots.borrowed_tokens))
        most_waiting = max(most_waiting, slots.statistics().tasks_waiting)
        await asyncio.sleep(0.002)
    hashes = [task.result() for task in burst]
    assert most_running == 2
    assert most_waiting >= 1  # the rest queued instead of each taking its own memory
    assert all([await passwords.verify_password(h, f"burst-{n} Str0ng words", settings)
                for n, h in enumerate(hashes)])
