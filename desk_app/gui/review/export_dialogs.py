"""The export's dialogs: where to export (a new empty folder, proposed), and what was done.

Issue 14: the folder dialog opened on the source folder (which the export then refused
with a vague message), dismissing it ended the export, and a finished export was one
status-bar line. Here the proposal and the rules are the core's
(``core.pipeline.publish``); the dialog shows the proposed folder and where the private
report goes, lets the user pick another place (dismissing that picker comes back here),
and says in the dialog, not after it has closed, why a folder cannot be used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.pipeline.publish import ExportSummary, choose_export_folder, private_report_path


class ExportFolderDialog(QDialog):
    """Asks where to export, starting from ``proposed`` (a folder that does not exist yet).

    ``check(folder)`` returns why the export cannot go there (the pipeline's own up-front
    check) or None; the dialog stays open with that line until the folder is one it can use.
    """

    def __init__(self, proposed: Path, reference: str | None, sources: Sequence[Path],
                 check: Callable[[Path], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.reference, self.sources, self.check = reference, list(sources), check
        layout = QVBoxLayout(self)
        intro = QLabel("The anonymised copies and the decision go into a new, empty folder, which then holds only "
                       "what may be published:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(proposed))
        self.path_edit.setAccessibleName("Export folder")
        self.path_edit.textChanged.connect(self._describe)
        row.addWidget(self.path_edit, 1)
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.setAccessibleName("Choose another folder")
        self.choose_button.clicked.connect(self.choose)
        row.addWidget(self.choose_button)
        layout.addLayout(row)
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        layout.addWidget(self.report_label)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Why this folder cannot be used")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._describe()
        self.resize(640, self.sizeHint().height())

    def folder(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def _describe(self) -> None:
        text = self.path_edit.text().strip()
        self.report_label.setText(
            f"The replacement report lists every real name, so it is kept apart, beside that folder: "
            f"<b>{private_report_path(self.folder()).name}</b>" if text else "")

    def choose(self) -> None:
        """Pick another place; dismissing the picker leaves the dialog as it was."""
        start = self.folder().parent if not self.folder().exists() else self.folder()
        chosen = QFileDialog.getExistingDirectory(self, "Export into folder", str(start))
        if chosen:
            self.use(Path(chosen))

    def use(self, chosen: Path) -> None:
        """The folder the user picked: used if empty, a new folder inside it if not, refused
        (with the reason shown) if it holds the case's own files."""
        folder, why = choose_export_folder(chosen, self.reference, self.sources)
        if folder is None:
            self.message.setText(f"⚠ {why}")
            return
        self.path_edit.setText(str(folder))
        self.message.setText(why[0].upper() + why[1:] + ".")

    def accept(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self.message.setText("⚠ Choose a folder to export into.")
            return
        folder, _why = choose_export_folder(self.folder(), self.reference, self.sources)
        if folder is None or folder != self.folder():   # a source folder, or one with files in it
            self.use(self.folder())
            return
        problem = self.check(self.folder())
        if problem:
            self.message.setText(f"⚠ {problem}")
            return
        super().accept()


class ExportSummaryDialog(QDialog):
    """What an export wrote, how much it replaced, what it kept, and where the private report is."""

    def __init__(self, summary: ExportSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setWindowTitle("Export finished")
        layout = QVBoxLayout(self)
        n = len(summary.files)
        head = QLabel(f"<h3>Exported {n} file{'s' if n != 1 else ''}, {summary.replacements} "
                      f"replacement{'s' if summary.replacements != 1 else ''}</h3>")
        layout.addWidget(head)
        self.body = QLabel(self._html())
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAccessibleName("Export summary")
        layout.addWidget(self.body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton("&Open Folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAccessibleName("Open the export folder")
        self.open_button.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def _html(self) -> str:
        s = self.summary
        files = "".join(f"<li>{escape(p.name)}</li>" for p in s.files)
        parts = [f"<p><b>Publication folder</b> (only what may be published): {escape(s.folder.name)}<br>"
                 f"<small>in {escape(str(s.folder.parent))}</small></p><ul>{files}</ul>"]
        if s.kept:
            kept = "".join(f"<li>{escape(line)}</li>" for line in s.kept)
            parts.append(f"<p><b>Kept as written:</b></p><ul>{kept}</ul>")
        else:
            parts.append("<p>Nothing the tool found was kept as written.</p>")
        if s.failed:
            parts.append("<p><b>Not written:</b></p><ul>" + "".join(f"<li>{escape(f)}</li>" for f in s.failed)
                         + "</ul>")
        if s.report is not None:
            where = "beside the publication folder" if s.report.parent == s.folder.parent else \
                f"in {escape(str(s.report.parent))}"
            parts.append(f"<p><b>PRIVATE replacement report</b>: {escape(s.report.name)}, {where}. It lists every "
                         "real name, so it is kept out of the publication folder: do not publish it.</p>")
        return "".join(parts)

    def text(self) -> str:
        """The summary as plain text (what a screen reader or a copy gets)."""
        return "\n".join(self.summary.lines())

    def open_folder(self) -> bool:
        """Show the publication folder in the system's file manager."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.summary.folder)))


def ask_yes_no(parent: QWidget, title: str, text: str, informative: str = "") -> bool:
    """A question whose default (Enter, Esc) is No: for every step that weakens the safety net."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    if informative:
        box.setInformativeText(informative)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
