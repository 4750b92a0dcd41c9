"""Geometry of the pace chart: the server draws it as SVG, no JavaScript.

Only coordinates are computed here; ``insights/_pace_chart.html`` draws them, and the
same figures follow the chart as a table.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.formats import date_format

from brygga.insights.pace import Pace

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 16, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Tick:
    position: float  # x for the month ticks, y for the value ticks
    label: str


@dataclass(frozen=True)
class PaceChart:
    width: int
    height: int
    left: int
    top: int
    plot_right: int
    plot_bottom: int
    pace_line: str  # "x1,y1 x2,y2" for <polyline points>, empty without a target
    visits_line: str
    today_x: float
    today_y: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _nice_step(top: float) -> int:
    """A round step giving four or five gridlines up to ``top``."""
    raw = max(top, 1) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return max(1, int(factor * magnitude))
    return int(10 * magnitude)  # pragma: no cover  (the loop always returns)


def pace_chart(pace: Pace) -> PaceChart:
    days = pace.days_in_year
    top_value = max(pace.target or 0, pace.visits, 1)
    step = _nice_step(top_value)
    y_max = step * math.ceil(top_value / step)

    def x(yday: int) -> float:
        return round(LEFT + (yday / days) * PLOT_W, 1)

    def y(value: float) -> float:
        return round(TOP + PLOT_H - (value / y_max) * PLOT_H, 1)

    start = f"{x(0)},{y(0)}"
    pace_line = f"{start} {x(days)},{y(pace.target)}" if pace.target is not None else ""
    known = [p for p in pace.points if p.visits is not None]
    visits_line = " ".join(
        [start, *(f"{x(p.day.timetuple().tm_yday)},{y(p.visits or 0)}" for p in known)]
    )
    today_yday = pace.today.timetuple().tm_yday
    firsts = [dt.date(pace.year, month, 1) for month in range(1, 13)]
    x_ticks = [
        Tick(position=x(first.timetuple().tm_yday - 1), label=date_format(first, "M").lower())
        for first in firsts
    ]
    return PaceChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        top=TOP,
        plot_right=LEFT + PLOT_W,
        plot_bottom=TOP + PLOT_H,
        pace_line=pace_line,
        visits_line=visits_line,
        today_x=x(today_yday),
        today_y=y(pace.visits),
        x_ticks=x_ticks,
        y_ticks=[Tick(position=y(v), label=str(v)) for v in range(0, y_max + 1, step)],
    )
