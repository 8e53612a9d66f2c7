"""Beneficiary inputs generated from a payout method's required fields, each checked as you type."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import FIELD_LABEL_WIDTH, escape, form_field

if TYPE_CHECKING:
    from ..models.methods import FieldSpec, PayoutRequiredFields

#: The beneficiary holder groups whose fields are generated (besides ``base_param``).
HOLDER_GROUPS = ("individual",)


class BeneficiaryFields:
    """One ``Text`` per field of "Get Required Fields by Payout method", keyed ``"bsb"`` or
    ``"individual.first_name"``, labelled with the field's description (``label``, else
    ``field_description``, else the name); mandatory ones end in `` *``. The docs' ``regex_description``
    is shown under each and turns into the error when the value does not match the field's regex.
    After a Validate or Quote (``insist()``) an empty mandatory field says "required" too."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        self._on_change = on_change
        self.box = widgets.VBox()
        self.inputs: dict[str, widgets.Text] = {}
        self.hints: dict[str, widgets.HTML] = {}
        self.specs: dict[str, "FieldSpec"] = {}
        #: key -> what is wrong with it now (empty mandatory fields included)
        self.errors: dict[str, str] = {}
        #: Whether empty mandatory fields are marked (after the first Validate or Quote).
        self.insisting = False

    def load(self, required: "PayoutRequiredFields | None") -> None:
        """Replace the inputs with those the method needs (none when ``required`` is None)."""
        for row in self.box.children:
            for child in (*getattr(row, "children", ()), row):
                child.unobserve_all()
                child.close()
        self.inputs, self.hints, self.specs, self.errors = {}, {}, {}, {}
        self.insisting = False
        rows: list[widgets.Widget] = []
        if required is not None:
            groups = required.payout_beneficiary_param
            sections = [("Bank details", "", groups.base_param)]
            sections += [(f"Beneficiary ({'a person' if group == 'individual' else group})", f"{group}.",
                          getattr(groups, group, [])) for group in HOLDER_GROUPS]
            for title, prefix, specs in sections:
                if specs:
                    rows.append(widgets.HTML(f"<div class='pct-section'>{escape(title)}</div>"))
                rows += [self._add(prefix + spec.name, spec) for spec in specs]
        self.box.children = rows
        self.check_all()

    def check(self, key: str) -> str | None:
        """Check one field against its regex now; updates ``errors`` and the hint next to it."""
        spec, value = self.specs[key], self.inputs[key].value.strip()
        rule = spec.regex_description or (f"must match {spec.regex}" if spec.regex else "")
        error: str | None = None
        if not value:
            if spec.mandatory:
                error = f"required ({spec.field_description or key})"
        elif spec.regex and not _matches(spec.regex, value):
            error = f"does not match the rule: {rule}" if rule else "has the wrong format"
        if error:
            self.errors[key] = error
        else:
            self.errors.pop(key, None)
        if error and value:
            self._hint(key, "error", f"✗ {rule or error}")
        elif error and self.insisting:
            self._hint(key, "error", f"✗ required{' · ' + rule if rule else ''}")
        elif value:
            self._hint(key, "ok", f"✓ {rule}" if rule else "✓")
        else:
            self._hint(key, "hint", rule)
        return error

    def insist(self) -> None:
        """From now on mark empty mandatory fields as errors (after the first Validate or Quote)."""
        self.insisting = True

    def check_all(self) -> dict[str, str]:
        """Check every field afresh (dropping older complaints, e.g. the API's) and return the errors."""
        self.errors = {}
        for key in self.inputs:
            self.check(key)
        return self.errors

    def show_problems(self, problems: list[Any]) -> None:
        """Show the API's complaints (``field``, ``message``) next to the fields they name."""
        for problem in problems:
            self.errors[problem.field] = problem.message
            if problem.field in self.hints:
                self._hint(problem.field, "error", f"✗ {problem.message}")

    def params(self) -> dict[str, Any]:
        """The ``payout_beneficiary_param`` block: filled fields only, holder fields nested."""
        params: dict[str, Any] = {}
        for key, text in self.inputs.items():
            value = text.value.strip()
            if value:
                group, _, name = key.rpartition(".")
                (params.setdefault(group, {}) if group else params)[name] = value
        return params

    def values(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((key, text.value) for key, text in self.inputs.items()))

    def _hint(self, key: str, kind: str, text: str) -> None:
        css = {"error": "pct-field-error", "ok": "pct-field-ok", "hint": "pct-hint"}[kind]
        self.hints[key].value = f"<span class='{css}'>{escape(text)}</span>" if text else ""

    def _add(self, key: str, spec: "FieldSpec") -> widgets.VBox:
        text = widgets.Text(**form_field(field_label(spec), placeholder=_example(spec.regex_description),
                                         tooltip=f"{key}: {spec.field_description or spec.name}"))
        hint = widgets.HTML(layout=widgets.Layout(margin=f"0 0 4px {FIELD_LABEL_WIDTH}"))
        self.inputs[key], self.hints[key], self.specs[key] = text, hint, spec

        def typed(change: dict[str, Any]) -> None:
            self.check(key)
            self._on_change()

        text.observe(typed, names="value")
        return widgets.VBox([text, hint])


def field_label(spec: "FieldSpec") -> str:
    """A person's label for a field: its label, else its description, else its name; `` *`` when required."""
    text = spec.label or spec.field_description or spec.name.replace("_", " ").capitalize()
    return f"{text} *" if spec.mandatory else text


def _example(rule: str | None) -> str:
    """The example in a rule (``'6 digits, e.g. 062-000'`` -> ``'e.g. 062-000'``), for the placeholder."""
    _, found, example = (rule or "").partition("e.g.")
    return f"e.g. {example.strip()}" if found else ""


def _matches(pattern: str, value: str) -> bool:
    """Whether ``value`` matches the docs' regex; a regex Python cannot read is left to the API."""
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return True
