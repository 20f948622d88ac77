"""The small dialogs that confirm a new person before it is created: from selected text
(``NewPersonDialog``), or for one occurrence split off its person (``SplitOccurrenceDialog``).

A slip of the mouse used to create a person at once ("Add as new person" on half a word);
now the reviewer sees the name and the title the pseudonym will use ("Mrs B"), can correct
either, and nothing is created until they press Add.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desk_app.core.names import TITLE_PREFIX

TITLES = ("", "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")


def split_title(text: str, before: str = "") -> tuple[str, str]:
    """(name, title) from a selection: a title typed in it ("Mrs Jane Okafor"), or one just
    before it in the text ("Mrs " + "Jane Okafor"); "" when there is none."""
    text = " ".join(text.split())
    m = TITLE_PREFIX.match(text)
    if m:
        return text[m.end():], m.group(1)
    words = before.split()
    if words and words[-1].rstrip(".") in TITLES[1:]:
        return text, words[-1].rstrip(".")
    return text, ""


def _name_and_title(form: QFormLayout, name: str, title: str) -> tuple[QLineEdit, QComboBox]:
    """The new person's name and title rows, as both dialogs ask for them."""
    name_edit = QLineEdit(name)
    name_edit.setAccessibleName("Name of the new person")
    title_box = QComboBox()
    title_box.setAccessibleName("Title of the new person")
    for t in TITLES:
        title_box.addItem(t or "(none)", t)
    title_box.setCurrentIndex(max(TITLES.index(title) if title in TITLES else 0, 0))
    form.addRow("&Name:", name_edit)
    form.addRow("&Title:", title_box)
    return name_edit, title_box


class NewPersonDialog(QDialog):
    """Name (as written in the case) and title of the person about to be added."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add as new person")
        layout = QVBoxLayout(self)
        intro = QLabel("A new person gets the next free letter as their pseudonym. The name must be written "
                       "exactly so somewhere in the case.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name_edit, self.title_box = _name_and_title(form, name, title)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("&Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(lambda t: self.add_button.setEnabled(bool(t.strip())))
        self.add_button.setEnabled(bool(name.strip()))
        layout.addWidget(self.buttons)

    def values(self) -> tuple[str, str | None]:
        return " ".join(self.name_edit.text().split()), self.title_box.currentData() or None


class SplitOccurrenceDialog(QDialog):
    """Whom one occurrence belongs to, when it is not the person its name says: another
    person of the case, or a new person (name and title as in ``NewPersonDialog``).

    The case mapping gives name forms to people, so "Oliver" is one person's; this dialog
    is for the one "Oliver" that is the neighbour, while every other stays the son."""

    NEW = -1

    def __init__(self, text: str, current: str, people: list[tuple[int, str]], name: str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Split this occurrence")
        layout = QVBoxLayout(self)
        intro = QLabel(f"This “{text}” will no longer be {current}; every other “{text}” stays {current}. "
                       "A new person gets the next free letter: give them a name of their own (their full name, "
                       "say), which need not appear in the case.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.person_box = QComboBox()
        self.person_box.setAccessibleName("Person this occurrence belongs to")
        for index, label in people:
            self.person_box.addItem(label, index)
        self.person_box.addItem("A new person…", self.NEW)
        form.addRow("&Belongs to:", self.person_box)
        self.name_edit, self.title_box = _name_and_title(form, name, title)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.split_button = self.buttons.addButton("&Split", QDialogButtonBox.ButtonRole.AcceptRole)
        self.split_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.person_box.currentIndexChanged.connect(lambda _: self._update())
        self.name_edit.textChanged.connect(lambda _: self._update())
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        new = self.person_box.currentData() == self.NEW
        self.name_edit.setEnabled(new)
        self.title_box.setEnabled(new)
        self.split_button.setEnabled(not new or bool(self.name_edit.text().strip()))

    def choose(self, index: int | None) -> None:
        """Select person ``index`` (None: a new person)."""
        self.person_box.setCurrentIndex(self.person_box.findData(self.NEW if index is None else index))

    def values(self) -> tuple[int | None, str | None, str | None]:
        """(person index, None, None) for an existing person, (None, name, title) for a new one."""
        index = self.person_box.currentData()
        if index != self.NEW:
            return int(index), None, None
        return None, " ".join(self.name_edit.text().split()), self.title_box.currentData() or None
