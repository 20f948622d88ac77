"""Help that works offline: the keyboard shortcuts, and how anonymisation works.

The shortcuts are read from the window's own actions, so the list cannot drift from the
keys that work. The explanation is the README's *Anonymising* and *The naming rules*
sections, shortened for an investigator: what is replaced, by what, and what to check.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

HOW_IT_WORKS = """
<h2>How anonymisation works</h2>
<p>Decision Desk works on this computer only: nothing is ever sent over the network.</p>
<h3>What is found</h3>
<p>A language model and rules written for ombudsman case files find the people in every file of
the case, with the different ways each is written ("Mrs Cheryl Laffey", "Cheryl", "Mrs Laffey",
"the Laffeys"), and other personal data: addresses, postcodes, phone numbers, email addresses,
dates of birth, NHS and National Insurance numbers, and reference numbers that identify a
person to a council, school, hospital or benefits system.</p>
<h3>What it is replaced with</h3>
<ul>
<li><b>The complainant</b> becomes "Title X" (Mrs X, Mr X).</li>
<li><b>Other people</b> get letters in order of first mention from B: B, C, D…, never A, I,
or one of the person's real initials. Adults keep their title (Mrs B); children get a bare
letter. Adults who share a surname share the letter ("Mr and Mrs X").</li>
<li><b>Staff</b> named with their role become that role: "the social worker",
"the second social worker".</li>
<li><b>Other personal data</b> becomes a description: [address], [postcode], [phone number],
[email address], [date of birth], [NHS number], [reference number].</li>
<li><b>Kept:</b> organisations, councils, places, laws, complaint and ombudsman references, and
dates that are facts of the case.</li>
</ul>
<h3>What you check</h3>
<p>Every detection waits for your review (F8 goes to the next one). Accept what is right,
reject what is not a name (it keeps its text), rename a pseudonym in the people table, merge two
entries that are one person or split one that is two (or give one occurrence to someone else with
Split this occurrence), and add a name the tool missed by selecting it in the text. The
anonymised preview (Ctrl+P) shows the text as it will be exported.</p>
<h3>What export guarantees</h3>
<p>Sources are never changed. Every exported copy is read back and searched for the case's
original names before it counts as written; if one is found, nothing is exported and the places
are listed. Word copies are scrubbed of comments, hidden text, tracked deletions, document
properties and embedded files.</p>
"""


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(command, keys) for every action of the window's menus that has a shortcut."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()

    def walk(actions: list[QAction], menu: str) -> None:
        for a in actions:
            sub = a.menu()
            if sub is not None:
                walk(sub.actions(), a.text().replace("&", ""))
                continue
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts())
            name = a.text().replace("&", "").rstrip("…").strip()
            if keys and name and name not in seen:
                seen.add(name)
                rows.append((f"{menu} ▸ {name}" if menu else name, keys))

    walk(window.menuBar().actions(), "")
    rows.append(("Stop the running analysis or export", "Esc"))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Command", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (name, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(name))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 520)


class HowItWorksDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("How anonymisation works")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)   # offline: nothing here opens a web page
        self.browser.setHtml(HOW_IT_WORKS)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 560)
