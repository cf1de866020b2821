"""The update gate: a client's Yjs update is applied, checked against the Score model, and
reverted when it would make the document invalid.

A refused update is applied and then reverted rather than dropped: its sender's clock has
moved on, and every later update of that client builds on it, so a peer that never saw it
would keep all of them pending forever. The revert rewrites the touched parts from the
last valid picture (gate_revert); `payload` (what the document changed by, for the log and
the other clients) keeps everyone's clocks contiguous while the refused values, deleted,
are garbage collected out of it; `revert` brings the sender back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from pycrdt import Array, Doc, Map, Subscription, TransactionEvent, UndoManager, merge_updates

from ariaforge.collab.document_schema import EVENT_ROOTS, ROOTS, DocumentInvalid
from ariaforge.collab.document_write import clear_strays
from ariaforge.collab.gate_revert import restore
from ariaforge.collab.gate_state import Validated
from ariaforge.collab.gate_touched import Touched


@dataclass(frozen=True, slots=True)
class GateResult:
    """accepted: `payload` is the update itself. Refused: `payload` is what the document
    changed by (apply + revert), `revert` what the sender must apply, `problem` why."""

    accepted: bool
    payload: bytes
    revert: bytes | None = None
    problem: DocumentInvalid | None = None


class _GateOrigin:
    """The origin of the gate's own transactions."""


class UpdateGate:
    """Judges every client update against the Score model. The document may also change
    outside the gate (other replicas, REST writes, repairs): the gate watches it and takes
    those changes in before the next update."""

    def __init__(self, doc: Doc[Any]) -> None:
        self.doc = doc
        self._origin = _GateOrigin()
        self._roots: list[Any] = [doc.get(name, type=Array if name in EVENT_ROOTS else Map)
                                  for name in ROOTS]
        self._touched = Touched()
        # partial, not a lambda with a default: pycrdt passes as many arguments as the
        # callback's signature takes.
        self._subscriptions: list[Subscription] = [
            root.observe_deep(partial(self._record, name))
            for name, root in zip(ROOTS, self._roots, strict=True)]
        # Built on the first update, not here: a room answers its first joiners' sync
        # before anyone edits, and reading a big song whole takes a while.
        self._picture: Validated | None = None

    def _record(self, name: str, events: list[Any]) -> None:
        self._touched.record(name, events)

    @property
    def problem(self) -> DocumentInvalid | None:
        """Why the document is invalid now (replicas merged changes each valid alone),
        or None."""
        return self._state().problem

    def _state(self) -> Validated:
        """The validated picture, with the changes made outside the gate taken in."""
        touched, self._touched = self._touched, Touched()
        if self._picture is None:
            self._picture = Validated(self.doc)  # reads it all: nothing to take in
        elif touched:
            problem = self._picture.judge(touched)
            if problem is not None:
                self._picture.problem = problem
        return self._picture

    def apply(self, update: bytes) -> GateResult:
        """Apply `update` (ValueError when it cannot be decoded: nothing applied)."""
        state = self._state()
        before = self.doc.get_state()
        undo = self._undo_manager() if state.problem is not None else None
        try:
            with self.doc.transaction(origin=self._origin):
                self.doc.apply_update(update)
        finally:
            touched, self._touched = self._touched, Touched()
        problem = state.judge(touched)
        if problem is None:
            return GateResult(True, update)
        revert = self._revert(state, touched, undo)
        return GateResult(False, self.doc.get_update(before), revert, problem)

    def _undo_manager(self) -> UndoManager:
        """While the document is invalid there is no valid picture to restore from: the
        update is undone instead (the UndoManager keeps what it deletes, so the refused
        values stay in the payload, in this rare case only)."""
        undo = UndoManager(scopes=self._roots, capture_timeout_millis=0)
        undo.include_origin(self._origin)
        return undo

    def _revert(self, state: Validated, touched: Touched, undo: UndoManager | None) -> bytes:
        updates: list[bytes] = []

        def record(event: TransactionEvent) -> None:
            updates.append(event.update)

        subscription = self.doc.observe(record)
        try:
            if undo is not None:
                undo.undo()
                undo.clear()
            with self.doc.transaction(origin=self._origin):
                if undo is None:
                    restore(self.doc, touched, state.base, state.master, state.parts)
                elif touched.suspects or any(name not in ROOTS for name in list(self.doc.keys())):
                    clear_strays(self.doc)  # outside the undo's scope
        finally:
            self.doc.unobserve(subscription)
            self._touched = Touched()
        return merge_updates(*updates) if len(updates) > 1 else b"".join(updates)

    def close(self) -> None:
        """Stop watching the document."""
        for root, subscription in zip(self._roots, self._subscriptions, strict=True):
            root.unobserve(subscription)
        self._subscriptions.clear()
