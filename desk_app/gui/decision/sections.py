"""The centre of the decision editor: Summary, sections, numbered paragraphs, sign-off.

The view shows the model and reports what the user asked for through signals; it never
changes the decision itself, so every change goes through the editor's undo commands.
It is rebuilt whenever the structure changes (paragraphs added, removed or moved), which
keeps the numbers shown identical to ``iter_numbered`` without any bookkeeping.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QObject, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFontMetrics,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.decision.completeness import PLACEHOLDER_RE, paragraph_placeholders
from desk_app.core.decision.library import Library
from desk_app.core.decision.model import Block, Decision, Heading, ListStyle, Paragraph, Section
from desk_app.core.decision.numbering import item_label, iter_numbered
from desk_app.core.decision.pseudonym_sync import Mark
from desk_app.core.decision.templates import TEMPLATES
from desk_app.gui.decision.style import (
    em,
    error_colour,
    line_height,
    muted_colour,
    muted_label,
    scaled_font,
    set_text_colour,
    warning_colour,
)

Anonymiser = Callable[[str], str]
#: Real names and stale pseudonyms in one line of text (``Cast.marks``).
Marker = Callable[[str], list[Mark]]
COMMIT_DELAY_MS = 500
#: Library entries listed directly in a section's Add paragraph menu (the rest via search).
MENU_ENTRIES = 14

#: Badge word per ``Library.status`` result; "current" reads better as "library" to users.
BADGES = {"current": "library", "edited": "edited", "own": "own", "outdated": "outdated", "unknown": "unknown"}


_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")


def count_changes(before: str, after: str) -> int:
    """How many separate spots the anonymiser changed, for the status note.

    Compared word by word, and a run of changes only ends at a word both texts share, so
    "Cheryl Laffey" → "Mrs X" is one change, not one per letter or per space.
    """
    if before == after:
        return 0
    old, new = _TOKEN_RE.findall(before), _TOKEN_RE.findall(after)
    changes, in_change = 0, False
    for op, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            if any(token[0].isalnum() or token[0] == "_" for token in old[i1:i2]):
                in_change = False
        elif not in_change:
            changes, in_change = changes + 1, True
    return changes


def paragraph_status(library: Library | None, paragraph: Paragraph) -> str:
    """``Library.status`` when a library is loaded; otherwise what the paragraph itself records."""
    if library is not None:
        return library.status(paragraph)
    if paragraph.source is None:
        return "own"
    return "edited" if paragraph.edited else "current"


def heading_choices(decision: Decision, section: Section) -> tuple[str, ...]:
    """The template's wordings for this section's heading, keeping a hand-edited one too."""
    template = TEMPLATES.get(decision.template)
    choices: tuple[str, ...] = ()
    if template is not None and section.key in template.keys():
        choices = template.spec(section.key).headings
    if section.heading not in choices:
        choices = (section.heading, *choices)
    return choices


class PlaceholderHighlighter(QSyntaxHighlighter):
    """Marks ``[[placeholders]]`` so what is still to be written stands out while typing,
    and, once the case's people are known (``marker``), underlines in red a real name or
    a pseudonym no one in the case has any more (``Cast.marks``)."""

    def __init__(self, editor: QTextEdit) -> None:
        super().__init__(editor.document())
        self._format = QTextCharFormat()
        colour = QColor(warning_colour(editor.palette()))
        self._format.setForeground(colour)
        colour.setAlpha(40)
        self._format.setBackground(colour)
        self._format.setFontWeight(700)
        self._people_format = QTextCharFormat()
        self._people_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._people_format.setUnderlineColor(QColor(error_colour(editor.palette())))
        self.marker: Marker | None = None

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        for match in PLACEHOLDER_RE.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self._format)
        if self.marker is not None:
            for mark in self.marker(text):
                self.setFormat(mark.start, mark.end - mark.start, self._people_format)

    def marks(self) -> list[tuple[int, int, str]]:
        """The people marks now shown, as (start, end, kind) in the whole text (tests, status)."""
        if self.marker is None:
            return []
        out, block = [], self.document().firstBlock()
        while block.isValid():
            out += [(block.position() + m.start, block.position() + m.end, m.kind) for m in self.marker(block.text())]
            block = block.next()
        return out


class ParagraphTextEdit(QTextEdit):
    """Plain-text paragraph editor that grows with its text and anonymises what is pasted.

    Facts pasted from case notes go through the case's anonymiser before they reach the
    document, so a real name never lands in a draft by accident. Edits are reported through
    ``commitRequested`` after a short pause or when focus leaves, not per keystroke, so each
    undo step is a meaningful chunk of typing.
    """

    commitRequested = Signal()
    #: Number of spots the anonymiser changed in a paste (only emitted when it changed any).
    pasteAnonymised = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, min_lines: float = 2.0) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        # The decision's undo stack owns undo; the document's own history would fork it.
        self.setUndoRedoEnabled(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.anonymiser: Anonymiser | None = None
        self._min_lines = min_lines
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self.commitRequested)
        self.textChanged.connect(self._on_text_changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self.highlighter = PlaceholderHighlighter(self)
        self._fit_height()

    def set_text(self, text: str) -> None:
        """Show model text without it counting as a user edit."""
        if self.toPlainText() == text:
            return
        position = self.textCursor().position()
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False
        cursor = self.textCursor()
        cursor.setPosition(min(position, len(text)))
        self.setTextCursor(cursor)

    def set_marker(self, marker: Marker | None) -> None:
        """Underline real names and stale pseudonyms with ``marker`` (None: no such marks)."""
        if self.highlighter.marker is not marker:
            self.highlighter.marker = marker
            self.highlighter.rehighlight()

    def pending(self) -> bool:
        """Whether typing is waiting for the idle timer."""
        return self._timer.isActive()

    def stop_timer(self) -> None:
        """Cancel the idle commit; the caller commits (or discards) itself."""
        self._timer.stop()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        """Insert pasted or dropped text as plain text, anonymised when the case has a mapping."""
        if not source.hasText():
            return
        text = source.text()
        if self.anonymiser is not None:
            cleaned = self.anonymiser(text)
            changes = count_changes(text, cleaned)
            self.insertPlainText(cleaned)
            if changes:
                self.pasteAnonymised.emit(changes)
            return
        self.insertPlainText(text)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt override
        return source.hasText()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self._timer.stop()
        self.commitRequested.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(em(self, 60), self._wanted_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(em(self, 20), self._wanted_height())

    @Slot()
    def _on_text_changed(self) -> None:
        if not self._loading:
            self._timer.start()

    def _wanted_height(self) -> int:
        document_height = math.ceil(self.document().size().height())
        margins = self.contentsMargins()
        chrome = 2 * self.frameWidth() + margins.top() + margins.bottom()
        floor = line_height(self, self._min_lines) + 2 * math.ceil(self.document().documentMargin())
        return max(document_height, floor) + chrome

    @Slot()
    def _fit_height(self) -> None:
        height = self._wanted_height()
        if height != self.height():
            self.setFixedHeight(height)


class Badge(QLabel):
    """A small framed word (library/edited/own/outdated) so status never relies on colour alone."""

    TIPS = {
        "current": "Standard wording from the library entry {id}, unchanged",
        "edited": "Library entry {id}, with wording changed in this decision",
        "own": "Your own paragraph (not from the library)",
        "outdated": "From library entry {id}; the library now has newer wording",
        "unknown": "Came from library entry {id}, which this library no longer has",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFont(scaled_font(self, 0.85))
        self.status = ""

    def set_status(self, status: str, paragraph: Paragraph) -> None:
        self.status = status
        word = BADGES.get(status, status)
        self.setText(word)
        source_id = paragraph.source.id if paragraph.source else ""
        self.setToolTip(self.TIPS.get(status, status).format(id=source_id))
        self.setAccessibleName(f"Status: {word}")
        palette = self.palette()
        colour = {"outdated": warning_colour(palette), "unknown": error_colour(palette),
                  "edited": palette.color(palette.ColorRole.Text)}.get(status, muted_colour(palette))
        weight = "bold" if status in ("edited", "outdated", "unknown") else "normal"
        self.setStyleSheet(f"QLabel {{ color: {colour.name()}; border: 1px solid {colour.name()}; "
                           f"border-radius: 0.4em; padding: 0.05em 0.4em; font-weight: {weight}; }}")


def number_column_width(widget: QWidget) -> int:
    """Width of the paragraph-number column, so sub-headings can line up with the text."""
    bold = scaled_font(widget, 1.0, bold=True)
    return QFontMetrics(bold).horizontalAdvance("000.") + em(widget, 1)


def _tool_button(text: str, name: str, tip: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setAccessibleName(name)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    return button


class ParagraphWidget(QFrame):
    """One numbered paragraph: number, wording, optional list and citation, badge, buttons."""

    def __init__(self, section: Section, block_index: int, paragraph: Paragraph, number: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.block_index = block_index
        self.paragraph = paragraph
        self.number = number

        self.number_label = QLabel(f"{number}.", self)
        self.number_label.setFont(scaled_font(self, 1.0, bold=True))
        self.number_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.number_label.setFixedWidth(number_column_width(self))
        self.number_label.setAccessibleName(f"Paragraph {number}")

        self.text_edit = ParagraphTextEdit(self)
        self.text_edit.setPlainText(paragraph.text)
        self.text_edit.setAccessibleName(f"Paragraph {number} text")
        self.text_edit.setPlaceholderText("Type the paragraph, or paste facts from the case notes")
        top = self.text_edit.frameWidth() + math.ceil(self.text_edit.document().documentMargin())
        self.number_label.setContentsMargins(0, top, 0, 0)

        editors = QVBoxLayout()
        editors.setContentsMargins(0, 0, 0, 0)
        editors.setSpacing(line_height(self, 0.25))
        editors.addWidget(self.text_edit)

        self.items_edit: ParagraphTextEdit | None = None
        if paragraph.items:
            style = paragraph.list_style or ListStyle.LETTERS
            if style is ListStyle.LETTERS:
                marks = ", ".join(item_label(i, style) for i in (1, 2, 3))
                caption_text = f"Lettered list ({marks} …), one item per line"
            else:
                caption_text = f"Bulleted list ({item_label(1, style)}), one item per line"
            caption = muted_label(caption_text, self)
            caption.setFont(scaled_font(caption, 0.9))
            self.items_edit = ParagraphTextEdit(self, min_lines=1)
            self.items_edit.setPlainText("\n".join(paragraph.items))
            self.items_edit.setAccessibleName(f"Paragraph {number} list items")
            editors.addWidget(caption)
            editors.addWidget(self.items_edit)

        # always there (hidden while empty) so a paragraph of one's own can be given a citation
        self.citation_edit: QLineEdit | None = QLineEdit(paragraph.citation, self)
        self.citation_edit.setAccessibleName(f"Paragraph {number} citation")
        self.citation_edit.setToolTip("Citation, printed after the paragraph (or its last list item)")
        self.citation_edit.setPlaceholderText("(Local Government Act 1974, section …, as amended)")
        self.citation_edit.setFont(scaled_font(self, 0.95, italic=True))
        self.citation_edit.setVisible(bool(paragraph.citation))
        editors.addWidget(self.citation_edit)

        self.fill_row = QWidget(self)
        fill_layout = QHBoxLayout(self.fill_row)
        fill_layout.setContentsMargins(0, 0, 0, 0)
        self.fill_label = QLabel(self.fill_row)
        self.fill_label.setWordWrap(True)
        self.fill_label.setFont(scaled_font(self, 0.9, bold=True))
        set_text_colour(self.fill_label, warning_colour(self.palette()))
        self.fill_button = QPushButton("Fill in…", self.fill_row)
        self.fill_button.setAccessibleName(f"Fill in the placeholders of paragraph {number}")
        self.fill_button.setToolTip("Type the amount, deadline, name … this paragraph still asks for")
        fill_layout.addWidget(self.fill_label, 1)
        fill_layout.addWidget(self.fill_button, 0)
        editors.addWidget(self.fill_row)

        self.badge = Badge(self)
        self.up_button = _tool_button("▲", f"Move paragraph {number} up", "Move this paragraph up", self)
        self.down_button = _tool_button("▼", f"Move paragraph {number} down", "Move this paragraph down", self)
        self.remove_button = _tool_button("✕", f"Remove paragraph {number}", "Remove this paragraph", self)
        self.more_button = _tool_button("⋯", f"More for paragraph {number}",
                                        "Citation and list (a), b) or bullets) for this paragraph", self)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(self.more_button)
        self.citation_action = self.more_menu.addAction("Add citation")
        self.more_menu.addSeparator()
        self.letters_action = self.more_menu.addAction("Lettered list a), b), c)")
        self.bullets_action = self.more_menu.addAction("Bulleted list")
        self.no_list_action = self.more_menu.addAction("No list")
        self.more_button.setMenu(self.more_menu)
        self.up_button.setEnabled(block_index > 0)
        self.down_button.setEnabled(block_index < len(section.blocks) - 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(0)
        for button in (self.up_button, self.down_button, self.remove_button, self.more_button):
            buttons.addWidget(button)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addLayout(buttons)
        side.addStretch(1)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(em(self, 1))
        grid.addWidget(self.number_label, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(editors, 0, 1)
        grid.addLayout(side, 0, 2)
        grid.setColumnStretch(1, 1)

    def text_editors(self) -> list[ParagraphTextEdit]:
        """The anonymising editors of this paragraph (wording, and list items if any)."""
        return [e for e in (self.text_edit, self.items_edit) if e is not None]

    def changes(self) -> dict[str, Any]:
        """What differs between the widgets and the model, as ``Paragraph.edit`` arguments."""
        changes: dict[str, Any] = {}
        text = self.text_edit.toPlainText()
        if text != self.paragraph.text:
            changes["text"] = text
        if self.items_edit is not None:
            items = [line.strip() for line in self.items_edit.toPlainText().splitlines() if line.strip()]
            if items != self.paragraph.items:
                changes["items"] = items
        if self.citation_edit is not None:
            citation = " ".join(self.citation_edit.text().split())
            if citation != self.paragraph.citation:
                changes["citation"] = citation
        return changes

    def refresh(self, library: Library | None) -> None:
        """Show the model's wording again (after undo/redo), its library status and what is left to fill."""
        self.text_edit.set_text(self.paragraph.text)
        if self.items_edit is not None:
            self.items_edit.set_text("\n".join(self.paragraph.items))
        if self.citation_edit is not None:
            if self.citation_edit.text() != self.paragraph.citation:
                self.citation_edit.setText(self.paragraph.citation)
            if self.paragraph.citation:
                self.citation_edit.show()
        self.badge.set_status(paragraph_status(library, self.paragraph), self.paragraph)
        names = self.placeholders()
        self.fill_label.setText("To fill in: " + ", ".join(names) if names else "")
        self.fill_row.setVisible(bool(names))
        self.citation_action.setEnabled(not self.paragraph.citation)
        style = self.paragraph.list_style if self.paragraph.items else None
        self.letters_action.setEnabled(style is not ListStyle.LETTERS)
        self.bullets_action.setEnabled(style is not ListStyle.BULLETS)
        self.no_list_action.setEnabled(style is not None)

    def placeholders(self) -> list[str]:
        """The ``[[placeholders]]`` the paragraph still holds (model wording)."""
        return paragraph_placeholders(self.paragraph)

    def show_citation(self) -> None:
        """Reveal the (empty) citation field and put the cursor in it."""
        if self.citation_edit is not None:
            self.citation_edit.show()
            self.citation_edit.setFocus(Qt.FocusReason.OtherFocusReason)


class HeadingWidget(QWidget):
    """A sub-heading inside a section, removable when its paragraphs have gone."""

    def __init__(self, section: Section, block_index: int, heading: Heading, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section, self.block_index, self.heading = section, block_index, heading
        # editable: published sub-headings vary ("What happened", "Key facts", topic names)
        label = QLineEdit(heading.text, self)
        label.setFrame(False)
        label.setAccessibleName(f"Sub-heading {heading.text}")
        label.setToolTip("Sub-heading: type to reword it (Enter applies, Ctrl+Z undoes)")
        label.setFont(scaled_font(self, 1.05 if heading.level == 2 else 1.0, bold=True,
                                  italic=heading.level == 3))
        self.text_edit = label
        self.remove_button = _tool_button("✕", f"Remove sub-heading {heading.text}", "Remove this sub-heading", self)
        layout = QHBoxLayout(self)
        # level 2 starts where paragraph text starts (number column + grid spacing)
        indent = number_column_width(self) + em(self, 1) + (em(self, 3) if heading.level == 3 else 0)
        layout.setContentsMargins(indent, line_height(self, 0.4), 0, 0)
        layout.addWidget(label, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)


class SectionsView(QScrollArea):
    """Scrollable Summary, sections and sign-off; emits requests, never edits the model."""

    #: (ParagraphWidget) the user paused or left a paragraph; the editor commits its changes.
    paragraphCommitRequested = Signal(object)
    #: (Section, old block index, new block index)
    moveRequested = Signal(object, int, int)
    #: (Section, block index)
    removeRequested = Signal(object, int)
    #: (Section) add an own paragraph at the end.
    addRequested = Signal(object)
    #: (LibraryEntry) insert this library entry (from a section's Add paragraph menu).
    entryRequested = Signal(object)
    #: (Section) show the library picker for this section.
    librarySearchRequested = Signal(object)
    #: (ParagraphWidget, ListStyle or None) give the paragraph a list of this style, or none.
    listStyleRequested = Signal(object, object)
    #: (ParagraphWidget) ask for the paragraph's placeholders.
    fillRequested = Signal(object)
    #: (Heading, new text) a sub-heading was reworded.
    subheadingEdited = Signal(object, str)
    #: (Section, heading text)
    headingChosen = Signal(object, str)
    summaryCommitRequested = Signal()
    #: Number of spots changed by the anonymiser in a paste.
    pasteAnonymised = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._decision: Decision | None = None
        self._library: Library | None = None
        self._anonymiser: Anonymiser | None = None
        self._marker: Marker | None = None
        self._key_filter: QObject | None = None
        self.paragraph_widgets: list[ParagraphWidget] = []
        self.heading_widgets: list[HeadingWidget] = []
        self.section_heading_widgets: dict[int, QWidget] = {}
        self.add_buttons: dict[str, QPushButton] = {}
        self.add_menus: dict[str, QMenu] = {}
        self.title_label: QLabel | None = None
        self.summary_edit: ParagraphTextEdit | None = None
        self._build()

    # --- public ------------------------------------------------------------------------------

    def set_key_filter(self, event_filter: QObject | None) -> None:
        """An event filter for every editable field (the editor routes Ctrl+Z through it)."""
        self._key_filter = event_filter

    def set_anonymiser(self, anonymiser: Anonymiser | None) -> None:
        """Apply to the Summary and every paragraph editor, now and after rebuilds."""
        self._anonymiser = anonymiser
        for editor in self.text_editors():
            editor.anonymiser = anonymiser

    def set_marker(self, marker: Marker | None) -> None:
        """Underline real names and stale pseudonyms in every text box, now and after rebuilds."""
        self._marker = marker
        for editor in self.text_editors():
            editor.set_marker(marker)

    def set_decision(self, decision: Decision | None, library: Library | None) -> None:
        self._decision, self._library = decision, library
        self.rebuild()

    def select_text(self, paragraph: Paragraph | None, field: str = "text", item: int = 0, term: str = "") -> bool:
        """Scroll to a paragraph (None: the Summary), focus it and select ``term`` in it."""
        row = self.paragraph_widget(paragraph) if paragraph is not None else None
        editor: QTextEdit | QLineEdit | None
        if paragraph is None:
            editor = self.summary_edit
        elif row is None:
            return False
        elif field == "citation":
            editor = row.citation_edit
            if editor is not None:
                row.show_citation()
        elif field == "item" and row.items_edit is not None:
            editor = row.items_edit
        else:
            editor = row.text_edit
        if editor is None:
            return False
        self.ensureWidgetVisible(row if row is not None else editor)
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        text = editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()
        offset = 0
        if field == "item" and isinstance(editor, QTextEdit):
            lines = text.split("\n")
            offset = sum(len(line) + 1 for line in lines[:item])
        start = text.find(term, offset) if term else -1
        if start < 0 and term:
            start = text.casefold().find(term.casefold())
        if isinstance(editor, QLineEdit):
            if start >= 0:
                editor.setSelection(start, len(term))
        elif start >= 0:
            cursor = editor.textCursor()
            cursor.setPosition(start)
            cursor.setPosition(start + len(term), QTextCursor.MoveMode.KeepAnchor)
            editor.setTextCursor(cursor)
            editor.ensureCursorVisible()
        QTimer.singleShot(0, self, lambda: self.ensureWidgetVisible(row if row is not None else editor))
        return True

    def text_editors(self) -> list[ParagraphTextEdit]:
        """Every anonymising text box currently shown."""
        editors = [self.summary_edit] if self.summary_edit is not None else []
        for widget in self.paragraph_widgets:
            editors.extend(widget.text_editors())
        return editors

    def paragraph_widget(self, paragraph: Paragraph) -> ParagraphWidget | None:
        """The row showing ``paragraph`` (by identity), if it is on screen."""
        for widget in self.paragraph_widgets:
            if widget.paragraph is paragraph:
                return widget
        return None

    def shown_numbers(self) -> list[int]:
        """The numbers on screen, in order (tests compare them with ``iter_numbered``)."""
        return [int(w.number_label.text().rstrip(".")) for w in self.paragraph_widgets]

    def refresh_paragraph(self, paragraph: Paragraph) -> None:
        widget = self.paragraph_widget(paragraph)
        if widget is not None:
            widget.refresh(self._library)

    def refresh_summary(self) -> None:
        if self.summary_edit is not None and self._decision is not None:
            self.summary_edit.set_text(self._decision.summary)

    def refresh_title(self) -> None:
        if self.title_label is not None and self._decision is not None:
            header = self._decision.header
            self.title_label.setText(f"{header.heading_line} · {header.stage.label}")

    def refresh_heading(self, section: Section) -> None:
        widget = self.section_heading_widgets.get(id(section))
        if isinstance(widget, QComboBox):
            widget.blockSignals(True)
            widget.setCurrentIndex(max(0, widget.findText(section.heading)))
            widget.blockSignals(False)
        elif isinstance(widget, QLabel):
            widget.setText(section.heading)

    def rebuild(self, focus_block: Block | None = None, focus_role: str = "text") -> None:
        """Recreate the contents from the model, keeping the scroll position.

        ``focus_block`` gets the keyboard focus afterwards (and is scrolled into view), so
        a moved paragraph keeps its move button focused and an added one is ready to type in.
        """
        bar = self.verticalScrollBar()
        position = bar.value()
        focused = QApplication.focusWidget()
        had_focus = focused is None or self.isAncestorOf(focused)
        self._build()
        bar.setValue(position)
        QTimer.singleShot(0, self, lambda: bar.setValue(position) if focus_block is None else None)
        if focus_block is not None:
            target = self._focus_target(focus_block, focus_role)
            if target is not None:
                if had_focus:
                    target.setFocus(Qt.FocusReason.OtherFocusReason)
                QTimer.singleShot(0, self, lambda: self.ensureWidgetVisible(target))

    # --- building ------------------------------------------------------------------------------

    def _focus_target(self, block: Block, role: str) -> QWidget | None:
        for widget in self.paragraph_widgets:
            if widget.paragraph is block:
                button = {"up": widget.up_button, "down": widget.down_button}.get(role)
                return button if button is not None and button.isEnabled() else widget.text_edit
        for heading in self.heading_widgets:
            if heading.heading is block:
                return heading.remove_button
        return None

    def _build(self) -> None:
        for widget in self.paragraph_widgets:
            for editor in widget.text_editors():
                editor.stop_timer()
                editor.blockSignals(True)  # a dying editor's focus-out must not commit
            if widget.citation_edit is not None:
                widget.citation_edit.blockSignals(True)
        for heading in self.heading_widgets:
            heading.text_edit.blockSignals(True)
        if self.summary_edit is not None:
            self.summary_edit.stop_timer()
            self.summary_edit.blockSignals(True)
        self.paragraph_widgets, self.heading_widgets = [], []
        self.section_heading_widgets, self.add_buttons, self.add_menus = {}, {}, {}
        self.title_label = self.summary_edit = None

        page = QWidget()
        layout = QVBoxLayout(page)
        margin = em(page, 2)
        layout.setContentsMargins(margin, line_height(page, 0.8), margin, line_height(page, 1.5))
        layout.setSpacing(line_height(page, 0.5))
        decision = self._decision
        if decision is None:
            layout.addWidget(muted_label("No decision is open. Use File › New Decision…, or open a "
                                         ".decision.json draft with File › Open.", page))
            layout.addStretch(1)
        else:
            self._build_decision(decision, page, layout)
        old = self.takeWidget()
        self.setWidget(page)
        if old is not None:
            old.hide()
            old.deleteLater()

    def _build_decision(self, decision: Decision, page: QWidget, layout: QVBoxLayout) -> None:
        self.title_label = QLabel(page)
        self.title_label.setFont(scaled_font(page, 1.35, bold=True))
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        self.refresh_title()

        summary_label = QLabel("S&ummary", page)
        summary_label.setFont(scaled_font(page, 1.15, bold=True))
        self.summary_edit = ParagraphTextEdit(page)
        self.summary_edit.setPlainText(decision.summary)
        self.summary_edit.setPlaceholderText("One paragraph in the “We…” voice: subject, fault, injustice, remedy")
        self.summary_edit.setAccessibleName("Summary")
        self.summary_edit.commitRequested.connect(self.summaryCommitRequested)
        summary_label.setBuddy(self.summary_edit)
        self._prepare_editor(self.summary_edit)
        layout.addWidget(summary_label)
        layout.addWidget(self.summary_edit)

        numbers = {(n.section_index, n.block_index): n.number for n in iter_numbered(decision)}
        for s_index, section in enumerate(decision.sections):
            layout.addSpacing(line_height(page, 0.6))
            layout.addWidget(self._section_heading(decision, section, page))
            if not section.blocks:
                layout.addWidget(muted_label("No paragraphs yet: add your own, or insert one from the library.",
                                             page, italic=True))
            for b_index, block in enumerate(section.blocks):
                if isinstance(block, Heading):
                    heading = HeadingWidget(section, b_index, block, page)
                    heading.remove_button.clicked.connect(
                        lambda _=False, s=section, i=b_index: self.removeRequested.emit(s, i))
                    heading.text_edit.editingFinished.connect(
                        lambda h=heading: self.subheadingEdited.emit(h.heading, h.text_edit.text()))
                    if self._key_filter is not None:
                        heading.text_edit.installEventFilter(self._key_filter)
                    self.heading_widgets.append(heading)
                    layout.addWidget(heading)
                    continue
                row = ParagraphWidget(section, b_index, block, numbers[(s_index, b_index)], page)
                row.refresh(self._library)
                self._connect_row(row)
                self.paragraph_widgets.append(row)
                layout.addWidget(row)

        layout.addSpacing(line_height(page, 1))
        sign_off = muted_label(decision.sign_off, page, italic=True)
        sign_off.setAccessibleName("Sign-off")
        sign_off.setToolTip("The sign-off comes from the paragraph library")
        layout.addWidget(sign_off)
        layout.addStretch(1)

    def _section_heading(self, decision: Decision, section: Section, page: QWidget) -> QWidget:
        row = QWidget(page)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        font = scaled_font(page, 1.2, bold=True)
        choices = heading_choices(decision, section)
        heading: QWidget
        if len(choices) > 1:
            combo = QComboBox(row)
            combo.addItems(choices)
            combo.setCurrentIndex(max(0, combo.findText(section.heading)))
            combo.setFont(font)
            combo.setAccessibleName(f"Heading for section {section.heading}")
            combo.setToolTip("This section's heading; the template offers several wordings")
            combo.activated.connect(lambda i, s=section, c=combo: self.headingChosen.emit(s, c.itemText(i)))
            heading = combo
        else:
            label = QLabel(section.heading, row)
            label.setFont(font)
            label.setWordWrap(True)
            heading = label
        self.section_heading_widgets[id(section)] = heading
        add = QPushButton("Add paragraph", row)
        add.setToolTip(f"Add a paragraph at the end of “{section.heading}”: your own, or one from the library")
        add.setAccessibleName(f"Add paragraph to {section.heading}")
        add.setMenu(self._add_menu(decision, section, add))
        self.add_buttons[section.key] = add
        box.addWidget(heading, 0 if isinstance(heading, QComboBox) else 1)
        box.addStretch(1 if isinstance(heading, QComboBox) else 0)
        box.addWidget(add)
        return row

    def _add_menu(self, decision: Decision, section: Section, button: QPushButton) -> QMenu:
        """Blank paragraph, the library entries that fit this section, or a library search."""
        menu = QMenu(button)
        blank = menu.addAction("Blank paragraph (your own words)")
        blank.triggered.connect(lambda _=False, s=section: self.addRequested.emit(s))
        if self._library is not None:
            fitting = [e for e in self._library.applicable(decision.header) if e.section == section.key]
            used = {p.source.id for p in decision.paragraphs() if p.source}
            if fitting:
                menu.addSection("From the library")
            for entry in fitting[:MENU_ENTRIES]:
                action = menu.addAction(("✓ " if entry.id in used else "") + (entry.title or entry.id))
                action.setToolTip(entry.text)
                action.setData(entry.id)
                action.triggered.connect(lambda _=False, e=entry: self.entryRequested.emit(e))
            menu.addSeparator()
            search = menu.addAction("Search the library…")
            search.triggered.connect(lambda _=False, s=section: self.librarySearchRequested.emit(s))
        self.add_menus[section.key] = menu
        return menu

    def _connect_row(self, row: ParagraphWidget) -> None:
        section, index = row.section, row.block_index
        row.up_button.clicked.connect(lambda _=False: self.moveRequested.emit(section, index, index - 1))
        row.down_button.clicked.connect(lambda _=False: self.moveRequested.emit(section, index, index + 1))
        row.remove_button.clicked.connect(lambda _=False: self.removeRequested.emit(section, index))
        row.citation_action.triggered.connect(lambda _=False, r=row: r.show_citation())
        row.letters_action.triggered.connect(lambda _=False, r=row: self.listStyleRequested.emit(r, ListStyle.LETTERS))
        row.bullets_action.triggered.connect(lambda _=False, r=row: self.listStyleRequested.emit(r, ListStyle.BULLETS))
        row.no_list_action.triggered.connect(lambda _=False, r=row: self.listStyleRequested.emit(r, None))
        row.fill_button.clicked.connect(lambda _=False, r=row: self.fillRequested.emit(r))
        for editor in row.text_editors():
            editor.commitRequested.connect(lambda r=row: self.paragraphCommitRequested.emit(r))
            self._prepare_editor(editor)
        if row.citation_edit is not None:
            row.citation_edit.editingFinished.connect(lambda r=row: self.paragraphCommitRequested.emit(r))
            if self._key_filter is not None:
                row.citation_edit.installEventFilter(self._key_filter)

    def _prepare_editor(self, editor: ParagraphTextEdit) -> None:
        editor.anonymiser = self._anonymiser
        editor.set_marker(self._marker)
        editor.pasteAnonymised.connect(self.pasteAnonymised)
        if self._key_filter is not None:
            editor.installEventFilter(self._key_filter)
