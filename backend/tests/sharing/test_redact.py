"""Share tokens are redacted from every log record, whichever logger writes it."""

from __future__ import annotations

import logging

import pytest

from ariaforge.sharing import redact
from ariaforge.sharing.tokens import new_token


def test_header_dumps_and_listen_addresses_are_redacted(
        caplog: pytest.LogCaptureFixture) -> None:
    redact.install()
    token = new_token()
    logger = logging.getLogger("ariaforge.tests.sharing")
    with caplog.at_level(logging.INFO, logger="ariaforge.tests.sharing"):
        logger.info("headers: %s", {"x-share-token": token, "accept": "*/*"})
        logger.info("X-Share-Token: %s", token)
        logger.info("opened http://127.0.0.1:8000/listen/#%s from a chat", token)
        logger.info("nothing secret here: %s", "listen carefully")
    assert len(caplog.records) == 4
    assert all(token not in record.getMessage() for record in caplog.records)
    assert caplog.records[2].getMessage().endswith("/listen/#[redacted] from a chat")
    assert caplog.records[3].getMessage() == "nothing secret here: listen carefully"


def test_redact_leaves_other_text_alone() -> None:
    text = "GET /api/v1/shared 200; user typed share-token? no"
    assert redact.redact(text) == text
