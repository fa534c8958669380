"""How questions and answers read on screen: the quiz's template filters."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.catalog.render import to_html
from app.quizzes.types import type_of


def question_html(question: Any) -> Markup:
    """Render a question's text: Markdown banks with their images, plain text otherwise."""
    if question.text_format == "markdown":
        code = question.module_version.module.code.lower()
        return Markup(to_html(question.text, media_url=f"/catalog/media/{code}", version="q"))
    return Markup("<p>") + Markup("<br>").join(escape(line) for line in question.text.splitlines()) + Markup("</p>")


def answer_text(row: Any) -> str:
    """Say in words what the learner answered."""
    if row.response in (None, [], {}, ""):
        return _("(chưa trả lời)")
    return type_of(row.question).answer_text(row.question, row.response)


def right_text(row: Any) -> str:
    """Say in words what the right answer was."""
    return type_of(row.question).right_text(row.question)


FILTERS = {"question_html": question_html, "answer_text": answer_text, "right_text": right_text}
