"""The main menu as a registry: each feature adds its entries with the action that shows them."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class NavItem:
    """One menu entry, shown to people allowed to take `action`."""

    endpoint: str
    label: LazyString
    action: str
    order: int
    needs_commune: bool = False  # the URL takes the person's commune id
    public: bool = False  # shown to visitors who are not signed in, too


ITEMS: list[NavItem] = []


def add(item: NavItem) -> None:
    """Register a menu entry (idempotent, so re-importing a feature is harmless)."""
    if item not in ITEMS:
        ITEMS.append(item)
        ITEMS.sort(key=lambda i: i.order)
