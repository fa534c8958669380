"""Form fields shared by several features."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import IntegerField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """Several choices as large checkboxes (easier to tap than a multi-select box)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OptionalIntegerField(IntegerField):
    """An integer field where an empty box means None rather than an error."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and str(valuelist[0]).strip() == "":
            self.data = None
            return
        super().process_formdata(valuelist)


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choice objects WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]
