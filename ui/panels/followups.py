"""Planned versus achieved, side by side (issue 19 §2): pre-op | planned | each follow-up with
its planned − achieved, coloured when the miss exceeds the combined landmark and model band."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from alignment_planner.analysis.followups import FollowUpResult, followup_results, miss_band
from alignment_planner.analysis.pipeline import Analysis
from alignment_planner.analysis.uncertainty import propagate
from alignment_planner.measurements import PARAMETERS
from alignment_planner.plan.model import Plan
from alignment_planner.targets.rounding import printed
from ui.panels.verdict_palette import paint_judgement

KEYS = tuple(p.key for p in PARAMETERS)


def _text(value: float | None) -> str:
    return "—" if value is None else f"{printed(value):.1f}"  # never "-0.0"


def _row_name(label: str, symbol: str) -> str:
    return f"{label} ({symbol})" if symbol else label


class FollowUpsPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel("No follow-up film yet: File → Add follow-up film…")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(KEYS), 2)
        # Reader names with their unit, not keys (the table has no unit column).
        self.table.setVerticalHeaderLabels([_row_name(p.label, p.symbol) for p in PARAMETERS])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.results: tuple[FollowUpResult, ...] = ()
        self.bands: dict[tuple[int, str], float | None] = {}

    def show_plan(self, plan: Plan, analysis: Analysis) -> None:
        self.results = results = followup_results(plan, analysis)
        headers = ["Pre-op", "Planned"]
        for r in results:
            headers += [r.followup.label, f"Planned − {r.followup.label}"]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        if not results:
            self.summary.setText("No follow-up film yet: File → Add follow-up film…")
        else:
            self.summary.setText(  # the model's error: clinical.md §5.3
                "Planned − achieved; red where the miss exceeds the 95 % band of landmark error on "
                "both films and the pelvic model's error (PT ± 4.1°, SVA ± 27 mm)."
            )
        plan_band = propagate(plan, analysis=analysis) if results else None
        for row, key in enumerate(KEYS):
            self._cell(row, 0, _text(analysis.preop.values[key].value))
            self._cell(row, 1, _text(analysis.postop.values[key].value))
            for i, r in enumerate(results):
                self._cell(row, 2 + 2 * i, _text(r.achieved.values[key].value))
                miss = r.error[key]
                band = None
                if plan_band is not None:
                    # The follow-up film is landmarked like the pre-op one: the same band applies.
                    band = miss_band(key, plan_band.band(key, "postop"), plan_band.band(key, "preop"))
                self.bands[(i, key)] = band
                item = self._cell(row, 3 + 2 * i, "—" if miss is None else f"{printed(miss):+.1f}")
                if miss is not None and band is not None:
                    paint_judgement(item, "outside" if abs(miss) > band else "within")
                    item.setToolTip(f"band ± {band:.1f}")
                else:
                    paint_judgement(item, None)
        self.table.resizeColumnsToContents()

    def _cell(self, row: int, column: int, text: str) -> QTableWidgetItem:
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem(text)
            self.table.setItem(row, column, item)
        else:
            item.setText(text)
        return item
