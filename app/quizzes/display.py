"""How questions and answers read on screen: the quiz's template filters."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.catalog.render import to_html


def question_html(question: Any) -> Markup:
    """Render a question's text: Markdown banks with their images, plain text otherwise."""
    if question.text_format == "markdown":
        code = question.module_version.module.code.lower()
        return Markup(to_html(question.text, media_url=f"/catalog/media/{code}", version="q"))
    return Markup("<p>") + Markup("<br>").join(escape(line) for line in question.text.splitlines()) + Markup("</p>")


def answer_text(row: Any) -> str:
    """Say in words what the learner answered."""
    question, response = row.question, row.response
    if response in (None, [], {}, ""):
        return _("(chưa trả lời)")
    if question.type == "truefalse":
        return _("Đúng") if response == 0 else _("Sai")
    if question.type == "shortanswer":
        return str(response)
    if question.type == "matching":
        return "; ".join(f"{question.answers[int(k)]['text']} → {question.answers[v]['match']}"
                         for k, v in response.items())
    chosen = [response] if isinstance(response, int) else response
    return "; ".join(question.answers[k]["text"] for k in chosen)


def right_text(row: Any) -> str:
    """Say in words what the right answer was."""
    if row.question.type == "truefalse":
        return _("Đúng") if row.question.answers[0]["fraction"] > 0 else _("Sai")
    return "; ".join(row.right_answer)


FILTERS = {"question_html": question_html, "answer_text": answer_text, "right_text": right_text}
