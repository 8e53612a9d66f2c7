"""Beneficiary inputs generated from a payout method's required fields, each checked as you type."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import ERROR_STYLE, INFO_STYLE, OK_STYLE, escape, labelled

if TYPE_CHECKING:
    from ..models.methods import FieldSpec, PayoutRequiredFields

#: The beneficiary holder groups whose fields are generated (besides ``base_param``).
HOLDER_GROUPS = ("individual",)


class BeneficiaryFields:
    """One ``Text`` per field of "Get Required Fields by Payout method", keyed ``"bsb"`` or
    ``"individual.first_name"``; mandatory ones end in ``*``; the docs' ``regex_description`` is shown
    next to each and turns into the error when the value does not match the field's regex."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        self._on_change = on_change
        self.box = widgets.VBox()
        self.inputs: dict[str, widgets.Text] = {}
        self.hints: dict[str, widgets.HTML] = {}
        self.specs: dict[str, "FieldSpec"] = {}
        #: key -> what is wrong with it now (empty mandatory fields included)
        self.errors: dict[str, str] = {}

    def load(self, required: "PayoutRequiredFields | None") -> None:
        """Replace the inputs with those the method needs (none when ``required`` is None)."""
        for row in self.box.children:
            for child in (*getattr(row, "children", ()), row):
                child.unobserve_all()
                child.close()
        self.inputs, self.hints, self.specs, self.errors = {}, {}, {}, {}
        rows: list[widgets.Widget] = []
        if required is not None:
            groups = required.payout_beneficiary_param
            sections = [("Bank details", "", groups.base_param)]
            sections += [(f"Beneficiary ({group})", f"{group}.", getattr(groups, group, [])) for group in HOLDER_GROUPS]
            for title, prefix, specs in sections:
                if specs:
                    rows.append(widgets.HTML(f"<i>{escape(title)}</i>"))
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
            self.hints[key].value = f"<span style='{ERROR_STYLE}'>✗ {escape(rule or error)}</span>"
        elif value:
            self.hints[key].value = f"<span style='{OK_STYLE}'>✓</span>"
        else:
            self.hints[key].value = f"<span style='{INFO_STYLE}'>{escape(rule)}</span>"
        return error

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
                self.hints[problem.field].value = f"<span style='{ERROR_STYLE}'>✗ {escape(problem.message)}</span>"

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

    def _add(self, key: str, spec: "FieldSpec") -> widgets.HBox:
        text = widgets.Text(**labelled(f"{spec.label or spec.name}{' *' if spec.mandatory else ''}",
                                       placeholder=spec.field_description or "",
                                       tooltip=spec.field_description or key))
        hint = widgets.HTML()
        self.inputs[key], self.hints[key], self.specs[key] = text, hint, spec

        def typed(change: dict[str, Any]) -> None:
            self.check(key)
            self._on_change()

        text.observe(typed, names="value")
        return widgets.HBox([text, hint])


def _matches(pattern: str, value: str) -> bool:
    """Whether ``value`` matches the docs' regex; a regex Python cannot read is left to the API."""
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return True
