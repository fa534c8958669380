"""Dashboard panels as a registry: each feature adds what a person sees first after signing in.

A panel marked `task` is something to do today or this week (a roll call, marks missing, learners to confirm);
staff homes list these first, each row a link to where it is done, and say so when there is nothing to do.
Keep each panel's queries few and independent of the number of classes: the home is the most opened page.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    """A section of the dashboard: a template, the action that shows it, and a function giving its data."""

    name: str
    template: str
    action: str
    order: int
    context: Callable[[Any], dict[str, Any] | None]  # given the person; None hides the panel
    task: bool = False  # something to act on; listed under "Việc cần làm"


PANELS: list[Panel] = []


def add(panel: Panel) -> None:
    """Register a dashboard panel (idempotent)."""
    if all(p.name != panel.name for p in PANELS):
        PANELS.append(panel)
        PANELS.sort(key=lambda p: p.order)
