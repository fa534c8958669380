"""Text cleaned at the door: JSON bodies like form fields, and no NUL ever reaching the database."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import select, text
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.forms import CleanForm
from app.people.models import Person
from app.text import clean_json_strings, clean_text, without_nul
from tests import factories


def test_json_bodies_are_cleaned_string_by_string_keeping_other_values() -> None:
    body = {"name\u200b": "Nguy\u0065\u0302\u0303n\x01  Văn\u202e A", "note": "dòng 1\r\ndòng\x00 2",
            "marks": [1, 2.5, True, None, {"x": "\ufeffy"}]}
    assert clean_json_strings(body, multiline={"note"}) == {
        "name": "Nguyễn Văn A", "note": "dòng 1\ndòng 2", "marks": [1, 2.5, True, None, {"x": "y"}]}


def test_statement_parameters_lose_their_nul_and_nothing_else() -> None:
    assert without_nul({"a": "x\x00y", "b": b"\x00", "c": 3}) == {"a": "xy", "b": b"\x00", "c": 3}
    assert without_nul([("p\x00", 1), ("q", 2)]) == [("p", 1), ("q", 2)]


def test_a_nul_never_reaches_the_database_whatever_path_forgot_to_clean(ctx: Flask) -> None:
    commune = factories.commune()
    person = factories.person(commune, name="Nguyễn Thị Hương")
    db.session.commit()
    # Straight SQL: no form, no model validator in between. PostgreSQL would refuse the NUL (a 500).
    db.session.execute(text("UPDATE people SET full_name = :name WHERE id = :id"),
                       {"name": "Nguyễn\x00 Thị Hương", "id": person.id})
    db.session.commit()
    assert db.session.scalar(select(Person.full_name).where(Person.id == person.id)) == "Nguyễn Thị Hương"
    found = db.session.scalars(select(Person).where(Person.name_search.contains("huong\x00"))).all()
    assert [p.id for p in found] == [person.id]


def test_every_form_cleans_its_text_fields_and_limits_their_length(app: Flask) -> None:
    from wtforms import PasswordField, StringField, TextAreaField

    class NoteForm(CleanForm):
        class Meta:
            csrf = False

        name = StringField("name")
        note = TextAreaField("note")
        secret = PasswordField("secret")

    with app.test_request_context():
        form = NoteForm(formdata=MultiDict({"name": "A\x00\u200b  B\x01", "note": "một\r\nhai\x00",
                                            "secret": " p\u200bw "}))
        assert (form.name.data, form.note.data, form.secret.data) == ("A B", "một\nhai", " p\u200bw ")
        assert form.validate()
        long = NoteForm(formdata=MultiDict({"name": "x" * 256, "note": "y" * 5001}))
        assert not long.validate()
        assert long.errors["name"] == ["Tối đa 255 ký tự (bạn đã nhập 256)."]
        assert long.errors["note"] == ["Tối đa 5000 ký tự (bạn đã nhập 5001)."]
    assert clean_text(None) == ""
