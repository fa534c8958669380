"""The plans' own targets (shared/reference/programme.md), the default until a commune sets its own."""
from __future__ import annotations

# Percent of the indicator's population, per year; a later year keeps the last year written in the plans.
PLAN: dict[int, dict[str, float]] = {
    2025: {"basic_skills": 80, "staff_skilled": 80, "workers_skilled": 80, "households_informed": 80,
           "smartphone_adults": 85, "payment_accounts": 50, "vneid_level2": 100},
    2026: {"basic_skills": 100, "staff_skilled": 100, "workers_skilled": 100, "households_informed": 100,
           "smartphone_adults": 85, "payment_accounts": 50, "vneid_level2": 100},
}


def default(code: str, year: int) -> float | None:
    """The plans' target for an indicator in a year (None where the plans set none)."""
    written = [y for y in PLAN if y <= year]
    return PLAN[max(written)].get(code) if written else None
