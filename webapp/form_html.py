"""The HTML of form fields for the templates, built in Python.

The order page shows a form per eligible item: rendering each field through WTForms' widgets
and Jinja macros cost most of that page's time, so the field blocks (label, hint, errors,
control) are built here with one escape per value. The markup is what WTForms' widgets give,
with the attributes in the same sorted order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape
from wtforms.fields import Field
from wtforms.widgets import CheckboxInput, Input, Select, TextArea


def _attributes(values: dict[str, Any]) -> str:
    """``key="value"`` pairs, sorted by key; True gives a bare attribute, False and None none."""
    parts = []
    for key in sorted(values):
        value = values[key]
        if value is True:
            parts.append(key)
        elif value is not False and value is not None:
            parts.append(f'{key}="{escape(value)}"')
    return " ".join(parts)


def _flag_attributes(field: Field, widget: Any, values: dict[str, Any]) -> None:
    """HTML validation attributes (``required``, ``maxlength``, ...) from the validators."""
    for key in getattr(widget, "validation_attrs", ()):
        if key not in values:
            flag = getattr(field.flags, key, None)
            if flag is not None and flag is not False:
                values[key] = flag() if callable(flag) else flag


def _options(choices: Iterable[Any], selected: Any) -> list[str]:
    html = []
    for choice in choices:
        value, text = choice[0], choice[1]
        mark = " selected" if selected is not None and str(value) == selected else ""
        html.append(f'<option{mark} value="{escape(value)}">{escape(text or value)}</option>')
    return html


def _select(field: Field, values: dict[str, Any]) -> str:
    html = [f"<select {_attributes(values)}>"]
    selected = None if field.data is None else str(field.data)
    choices = field.choices or []
    if isinstance(choices, dict):
        for group, options in choices.items():
            if group:
                html.append(f'<optgroup label="{escape(group)}">')
                html.extend(_options(options, selected))
                html.append("</optgroup>")
            else:
                html.extend(_options(options, selected))
    else:
        html.extend(_options(choices, selected))
    html.append("</select>")
    return "".join(html)


def control(field: Field, **extra: Any) -> Markup:
    """The field's input, select or textarea; ``extra`` attributes as for a WTForms call."""
    widget = field.widget
    values: dict[str, Any] = dict(field.render_kw or {})
    values.update({key.rstrip("_").replace("_", "-"): value for key, value in extra.items()})
    values.setdefault("id", field.id)
    values["name"] = field.name
    if isinstance(widget, Select):
        _flag_attributes(field, widget, values)
        return Markup(_select(field, values))
    if isinstance(widget, TextArea):
        _flag_attributes(field, widget, values)
        return Markup(f"<textarea {_attributes(values)}>\r\n{escape(field._value())}</textarea>")
    if not isinstance(widget, Input):
        return field(**extra)
    values.setdefault("type", widget.input_type)
    for key in ("step", "min", "max"):
        if getattr(widget, key, None) is not None:
            values.setdefault(key, getattr(widget, key))
    if isinstance(widget, CheckboxInput):
        values.setdefault("value", field._value())
        if field.data:
            values["checked"] = True
    else:
        values.setdefault("value", field._value())
    _flag_attributes(field, widget, values)
    return Markup(f"<input {_attributes(values)}>")


def field_errors(field: Field) -> str:
    if not field.errors:
        return ""
    lines = "".join(f'<span class="field__error-line">{escape(m)}</span>' for m in field.errors)
    return f'<p class="field__error" id="{escape(field.id)}-error">{lines}</p>'


def _described(field: Field, hint: Any) -> dict[str, Any]:
    ids = []
    if hint:
        ids.append(f"{field.id}-hint")
    if field.errors:
        ids.append(f"{field.id}-error")
    values: dict[str, Any] = {}
    if ids:
        values["aria_describedby"] = " ".join(ids)
    if field.errors:
        values["aria_invalid"] = "true"
    return values


def _label(field: Field, css: str) -> str:
    return f'<label class="{css}" for="{escape(field.id)}">{escape(field.label.text)}</label>'


def input_block(field: Field, hint: Any = None, extra_class: str = "") -> Markup:
    """Label, hint, errors and control of one field, tied together with aria-describedby."""
    error_class = " field--error" if field.errors else ""
    hint_html = ""
    if hint:
        hint_html = f'<p class="field__hint" id="{escape(field.id)}-hint">{escape(hint)}</p>'
    return Markup(
        f'<div class="field {escape(extra_class)}{error_class}">'
        f"{_label(field, 'field__label')}{hint_html}{field_errors(field)}"
        f"{control(field, class_='input', **_described(field, hint))}</div>"
    )


def checkbox_block(field: Field, hint: Any = None) -> Markup:
    error_class = " field--error" if field.errors else ""
    hint_html = (
        f'<p class="field__hint check__hint" id="{escape(field.id)}-hint">{escape(hint)}</p>'
        if hint
        else ""
    )
    return Markup(
        f'<div class="field check{error_class}">{field_errors(field)}<div class="check__row">'
        f"{control(field, class_='check__input', **_described(field, hint))}"
        f"{_label(field, 'check__label')}</div>{hint_html}</div>"
    )


def type_choice(field: Field) -> Markup:
    """Radio buttons for the request type; a hidden input when there is only one type."""
    choices = list(field.choices or [])
    if len(choices) == 1:
        return Markup(
            f'<input type="hidden" name="{escape(field.name)}" value="{escape(choices[0][0])}">'
        )
    errors = field.errors
    described = f' aria-describedby="{escape(field.id)}-error"' if errors else ""
    options = []
    for index, (value, text) in enumerate(choices):
        option_id = escape(f"{field.id}-{index}")
        checked = " checked" if field.data is not None and str(value) == str(field.data) else ""
        options.append(
            f'<div class="choice"><input{checked} class="choice__input" id="{option_id}" '
            f'name="{escape(field.name)}" type="radio" value="{escape(value)}">'
            f'<label class="choice__label" for="{option_id}">{escape(text)}</label></div>'
        )
    return Markup(
        f'<fieldset class="field choices{" field--error" if errors else ""}" '
        f'id="{escape(field.id)}"{described}>'
        f'<legend class="field__label">{escape(field.label.text)}</legend>'
        f'{field_errors(field)}<div class="choices__options">{"".join(options)}</div></fieldset>'
    )


def template_globals() -> dict[str, Any]:
    return {
        "control": control,
        "input_block": input_block,
        "checkbox_block": checkbox_block,
        "type_choice": type_choice,
        "field_errors_html": lambda field: Markup(field_errors(field)),
    }
