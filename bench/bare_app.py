"""The baseline page: bare Flask rendering one template after one primary-key lookup."""
from __future__ import annotations

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
# Nothing from the app package: its memory is the baseline of a Flask process with SQLAlchemy and psycopg.
engine = create_engine(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1),
                       pool_pre_ping=False)
TEMPLATE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ name }}</title></head>
<body><main><h1>{{ name }}</h1><p>Năm sinh {{ year }}</p></main></body></html>"""


@app.get("/bare/<int:person_id>")
def bare(person_id: int) -> str:
    with engine.connect() as conn:
        name, year = conn.execute(text("SELECT full_name, birth_year FROM people WHERE id = :id"),
                                  {"id": person_id}).one()
    return render_template_string(TEMPLATE, name=name, year=year)


@app.get("/healthz")
def healthz() -> str:
    return "ok"
