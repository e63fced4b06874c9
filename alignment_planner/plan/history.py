"""Undo/redo as a history of immutable plan snapshots (architecture.md principle 3).

Every edit pushes a new ``Plan`` with a label ("Move L3.ant_sup"). Edits that share a ``merge_key``
with the step on top replace it instead of stacking: a drag sends many moves with one key, so the
whole drag is one undo step. ``seal()`` ends such a run explicitly.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import dataclass

from alignment_planner.plan.model import Plan


@dataclass(frozen=True, slots=True)
class Step:
    plan: Plan
    label: str
    merge_key: Hashable | None = None


_OPENINGS = itertools.count(1)


class History:
    def __init__(self, initial: Plan, *, limit: int = 500) -> None:
        self.opening = next(_OPENINGS)
        """Which opening of a document this is: a new number whenever ``reset`` starts another
        document, so that what belongs to one (a follow-up window) knows when it is gone."""
        self._steps: list[Step] = [Step(initial, "Open")]
        self._index = 0
        self._limit = limit
        self._sealed = True
        self._saved: Step | None = self._steps[0]

    @property
    def current(self) -> Plan:
        return self._steps[self._index].plan

    @property
    def current_step(self) -> Step:
        """The step the document stands on: its plan, and the label and merge key of the edit
        that made it ("Open" for the first)."""
        return self._steps[self._index]

    def push(self, plan: Plan, label: str, merge_key: Hashable | None = None) -> None:
        if plan == self.current:
            return
        top = self._steps[self._index]
        del self._steps[self._index + 1:]
        if merge_key is not None and not self._sealed and top.merge_key == merge_key and self._index > 0:
            self._steps[self._index] = Step(plan, label, merge_key)
        else:
            self._steps.append(Step(plan, label, merge_key))
            if len(self._steps) > self._limit:
                del self._steps[0]
            self._index = len(self._steps) - 1
        self._sealed = merge_key is None

    def seal(self) -> None:
        """The current run of merged edits is finished (for example, the mouse was released)."""
        self._sealed = True

    def undo(self) -> Plan | None:
        if self._index == 0:
            return None
        self._index -= 1
        self._sealed = True
        return self.current

    def redo(self) -> Plan | None:
        if self._index + 1 >= len(self._steps):
            return None
        self._index += 1
        self._sealed = True
        return self.current

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index + 1 < len(self._steps)

    @property
    def undo_count(self) -> int:
        """How many steps Undo can go back."""
        return self._index

    @property
    def undo_label(self) -> str | None:
        return self._steps[self._index].label if self.can_undo else None

    @property
    def redo_label(self) -> str | None:
        return self._steps[self._index + 1].label if self.can_redo else None

    def mark_saved(self) -> None:
        self._saved = self._steps[self._index]

    def mark_unsaved(self) -> None:
        """The current state exists in no file (a plan restored after a crash)."""
        self._saved = None

    @property
    def dirty(self) -> bool:
        return self._steps[self._index] is not self._saved

    def reset(self, plan: Plan, *, same_document: bool = False) -> None:
        """Start over from ``plan`` (a file was opened): nothing to undo, nothing unsaved.
        ``same_document``: the document just opened, completed (its film's digest recorded)."""
        if not same_document:
            self.opening = next(_OPENINGS)
        self._steps = [Step(plan, "Open")]
        self._index = 0
        self._sealed = True
        self._saved = self._steps[0]
