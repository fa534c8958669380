"""The events feature's pages, by stage of the day: planning, the gate and the stations, the live board, the summary."""
from app.events import (  # noqa: F401  (each module adds its routes to the blueprint; models for the metadata)
    importer,
    indicators,
    live_routes,
    models,
    participants_routes,
    personal,
    plan_routes,
    roster_routes,
    run_routes,
    signup_routes,
    summary_routes,
)
