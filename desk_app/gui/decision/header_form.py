"""The header form (organisation, reference, category, outcome, date, stage).

The same fields serve the editor's left panel, where each committed field becomes one
undoable change, and the "New decision" dialog, where all of them are checked at once.
All checking is the core's (``validate_reference``, ``parse_decision_date``,
``normalise_top_category``, ``Header.validate``): the form only shows the messages, with
the ``header.reference`` prefix turned into the label the user can see.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.decision.case_hints import DecisionHints, fill_complainant
from desk_app.core.decision.library import Library, new_decision, today
from desk_app.core.decision.model import (
    TOP_LEVEL_CATEGORIES,
    Decision,
    DecisionError,
    Header,
    Outcome,
    Stage,
    normalise_top_category,
    parse_decision_date,
    validate_reference,
)
from desk_app.core.errors import DeskError
from desk_app.gui.decision.style import em, error_colour, muted_label, set_text_colour

FIELDS = ("organisation", "reference", "category", "sub_category", "outcome", "decision_date", "stage")
LABELS = {
    "organisation": "&Organisation", "reference": "&Reference", "category": "&Category",
    "sub_category": "&Sub-category", "outcome": "Out&come", "decision_date": "Decision &date",
    "stage": "S&tage",
}
HINTS = {
    "organisation": "The body complained about, as the LGO website names it",
    "reference": "Complaint reference: 2, 3 and 3 digits, e.g. 23 005 338 (joint cases add a letter: 22 009 742a)",
    "category": "LGO top-level category; it decides which library paragraphs apply",
    "sub_category": "Sub-category as on the LGO website, e.g. Assessment and care plan",
    "outcome": "The website's “Decision :” line; Closed after initial enquiries uses the assessment template",
    "decision_date": "DD Mon YYYY, e.g. 08 Mar 2024",
    "stage": "Draft decisions go to both parties for comment; the final one is published",
}
_INVALID = "invalid"


def plain_label(field_name: str) -> str:
    """The label without its mnemonic, for messages."""
    return LABELS[field_name].replace("&", "")


def field_of(error: DecisionError) -> str | None:
    """Which header field a core message is about (``header.reference: ...``)."""
    prefix, sep, _ = error.message.partition(":")
    if sep and prefix.startswith("header."):
        name = prefix.removeprefix("header.")
        return name if name in FIELDS else None
    return None


def user_message(error: DecisionError) -> str:
    """The core's message with the JSON field name replaced by the form's label."""
    name = field_of(error)
    if name is None:
        return error.message
    _, _, problem = error.message.partition(":")
    return f"{plain_label(name)}:{problem}"


def parse_field(field_name: str, raw: Any) -> Any:
    """Turn what the user entered into the header's value, using the core's checks."""
    if field_name == "reference":
        return validate_reference(str(raw).strip())
    if field_name == "category":
        return normalise_top_category(str(raw))
    if field_name == "decision_date":
        value = str(raw).strip()
        parse_decision_date(value)
        return value
    if field_name == "outcome":
        return raw if isinstance(raw, Outcome) else Outcome.parse(str(raw))
    if field_name == "stage":
        return raw if isinstance(raw, Stage) else Stage.parse(str(raw))
    return " ".join(str(raw).split())


def with_field(header: Header, field_name: str, raw: Any) -> tuple[Any, Header]:
    """The parsed value and a checked copy of ``header`` holding it; DecisionError if bad.

    The copy goes through ``Header.validate`` too, so rules that only live there (a named
    organisation, a non-empty sub-category) are applied without repeating them here.
    """
    value = parse_field(field_name, raw)
    candidate = dataclasses.replace(header, **{field_name: value})
    candidate.validate()
    return getattr(candidate, field_name), candidate


class HeaderFields(QWidget):
    """The seven header fields in a form, with a red message line under them.

    ``committed(field_name)`` fires when the user finishes one field (Enter, leaving the
    field, or choosing from a list), not on every keystroke, so each field edit is one
    undo step.
    """

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, labels_above: bool = False) -> None:
        super().__init__(parent)
        self._errors: dict[str, str] = {}
        self.organisation = QLineEdit(self)
        self.organisation.setPlaceholderText("Kent County Council")
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("23 005 338")
        self.reference.setMaxLength(11)
        self.category = QComboBox(self)
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category.addItems(TOP_LEVEL_CATEGORIES)
        self.category.setCurrentIndex(-1)
        self.category.lineEdit().setPlaceholderText("Adult care services")
        self.sub_category = QLineEdit(self)
        self.sub_category.setPlaceholderText("Assessment and care plan")
        self.outcome = QComboBox(self)
        for outcome in Outcome:
            self.outcome.addItem(outcome.value, outcome.value)
        self.decision_date = QLineEdit(self)
        self.decision_date.setPlaceholderText("08 Mar 2024")
        self.stage = QComboBox(self)
        for stage in Stage:
            self.stage.addItem(stage.value.capitalize(), stage.value)
        for combo in (self.category, self.outcome, self.stage):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)

        form = QFormLayout()
        # A narrow side panel reads better with every label above its field.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if labels_above
                              else QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[str, QLabel] = {}
        for name in FIELDS:
            widget = self.field_widget(name)
            label = QLabel(LABELS[name], self)
            label.setBuddy(widget)
            widget.setToolTip(HINTS[name])
            widget.setAccessibleName(plain_label(name))
            widget.setProperty(_INVALID, False)
            self.labels[name] = label
            form.addRow(label, widget)

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAccessibleName("Header errors")
        set_text_colour(self.error_label, error_colour(self.palette()))
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        self.setMinimumWidth(em(self, 26 if labels_above else 50))

        for name in ("organisation", "reference", "sub_category", "decision_date"):
            self.field_widget(name).editingFinished.connect(lambda n=name: self.committed.emit(n))
        self.category.lineEdit().editingFinished.connect(lambda: self.committed.emit("category"))
        self.category.activated.connect(lambda _i: self.committed.emit("category"))
        self.outcome.activated.connect(lambda _i: self.committed.emit("outcome"))
        self.stage.activated.connect(lambda _i: self.committed.emit("stage"))
        self._apply_style()

    def field_widget(self, field_name: str) -> QWidget:
        """The input widget for one header field."""
        return getattr(self, field_name)

    def raw_value(self, field_name: str) -> Any:
        """What the user has entered, before the core checks it."""
        widget = self.field_widget(field_name)
        if field_name == "outcome":  # item data comes back as plain str, not the StrEnum
            return Outcome(widget.currentData())
        if field_name == "stage":
            return Stage(widget.currentData())
        if field_name == "category":
            return self.category.currentText()
        return widget.text()

    def set_value(self, field_name: str, value: Any) -> None:
        """Show a model value without emitting ``committed``."""
        widget = self.field_widget(field_name)
        widget.blockSignals(True)
        try:
            if field_name in ("outcome", "stage"):
                widget.setCurrentIndex(max(0, widget.findData(str(getattr(value, "value", value)))))
            elif field_name == "category":
                index = self.category.findText(str(value), Qt.MatchFlag.MatchFixedString)
                self.category.setCurrentIndex(index)
                if index < 0:
                    self.category.setEditText(str(value))
            else:
                widget.setText(str(value))
                widget.setCursorPosition(0)   # a long name shows its start, not its end
        finally:
            widget.blockSignals(False)

    def set_header(self, header: Header | None) -> None:
        """Fill every field from ``header`` (blank when None) and clear any messages."""
        for name in FIELDS:
            if header is not None:
                self.set_value(name, getattr(header, name))
            elif name not in ("outcome", "stage"):
                self.set_value(name, "")
        self.clear_errors()

    def build_header(self) -> Header:
        """A checked Header from all fields; the DecisionError names the first bad one."""
        values = {name: parse_field(name, self.raw_value(name)) for name in FIELDS}
        header = Header(**values)
        header.validate()
        return header

    def errors(self) -> dict[str, str]:
        """Messages currently shown, by field name."""
        return dict(self._errors)

    def set_error(self, field_name: str | None, message: str | None) -> None:
        """Show (or with None, clear) a field's message and mark the field for the user."""
        key = field_name or ""
        if message:
            self._errors[key] = message
        else:
            self._errors.pop(key, None)
        if field_name in FIELDS:
            widget = self.field_widget(field_name)
            widget.setProperty(_INVALID, bool(message))
            widget.setAccessibleDescription(message or "")
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self._show_errors()

    def show_decision_error(self, error: DecisionError) -> str | None:
        """Put a core error next to the field it names; returns that field."""
        name = field_of(error)
        self.set_error(name, user_message(error))
        return name

    def clear_errors(self) -> None:
        """Forget every message, e.g. after the model was reloaded or changed by undo."""
        for name in list(self._errors):
            self.set_error(name or None, None)

    def _show_errors(self) -> None:
        text = "\n".join(self._errors.values())
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _apply_style(self) -> None:
        red = error_colour(self.palette()).name()
        self.setStyleSheet(
            f'QLineEdit[invalid="true"], QComboBox[invalid="true"] {{ border: 2px solid {red}; '
            "border-radius: 3px; }"
        )


class NewDecisionDialog(QDialog):
    """Ask for the header, then build the skeleton decision with the core's ``new_decision``.

    ``hints`` are what the open case says (``core.decision.case_hints``): the organisation
    and reference start filled in, and the complainant's pseudonym goes into the stock
    paragraphs' ``[[complainant]]`` places, so the draft starts from the case, not a blank.
    """

    def __init__(self, parent: QWidget | None = None, library: Library | None = None,
                 hints: DecisionHints | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New decision")
        self._library = library
        self._decision: Decision | None = None
        self.hints = hints or DecisionHints()
        intro = muted_label("The sections and the standard paragraphs are chosen from the outcome, category "
                            "and stage; you can change all of them afterwards.", self)
        self.fields = HeaderFields(self)
        self.fields.set_value("decision_date", today())
        for name in ("organisation", "reference"):
            value = getattr(self.hints, name)
            if value:
                self.fields.set_value(name, value)
        self.complainant_label = muted_label(
            f"From the case: the complainant is {self.hints.complainant}; the standard paragraphs name them so."
            if self.hints.complainant else "", self)
        self.complainant_label.setVisible(bool(self.hints.complainant))
        self.fields.committed.connect(self._check_field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.fields)
        layout.addWidget(self.complainant_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(em(self, 84))

    def decision(self) -> Decision | None:
        """The decision built on accept; None while the dialog is open or after Cancel."""
        return self._decision

    @Slot(str)
    def _check_field(self, field_name: str) -> None:
        """Check one field as the user leaves it, so mistakes show before pressing Create."""
        raw = self.fields.raw_value(field_name)
        if raw in ("", None):
            return  # blank fields are reported on Create, not while the user tabs through
        try:
            parse_field(field_name, raw)
        except DecisionError as error:
            self.fields.set_error(field_name, user_message(error))
        else:
            self.fields.set_error(field_name, None)

    @Slot()
    def accept(self) -> None:
        """Refuse to close while the header is invalid; the message says which field."""
        self.fields.clear_errors()
        try:
            header = self.fields.build_header()
        except DecisionError as error:
            name = self.fields.show_decision_error(error)
            if name is not None:
                self.fields.field_widget(name).setFocus(Qt.FocusReason.OtherFocusReason)
            return
        try:
            decision = new_decision(header, library=self._library)
        except DeskError as error:
            self.fields.set_error(None, error.message)
            return
        if self.hints.complainant:
            fill_complainant(decision, self.hints.complainant)
        self._decision = decision
        super().accept()


def new_decision_dialog(parent: QWidget | None = None, library: Library | None = None,
                        hints: DecisionHints | None = None) -> Decision | None:
    """Ask for a header and return a new skeleton decision, or None if the user cancels."""
    dialog = NewDecisionDialog(parent, library, hints)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.decision()
        return None
    finally:
        dialog.deleteLater()
