"""The investigator's workspace: open a case, review every detection, draft, export.

The window owns no logic of its own: analysis is the engine worker's, review actions are
``CaseReview``'s, the decision is ``desk_app.core.decision``'s, saving is ``CaseFile``'s
and autosave ``AutosaveStore``'s. What lives here is wiring, menus, and the rules about
when the user must be asked (unsaved changes, unreviewed detections, crash recovery).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from desk_app import __version__
from desk_app.core.anonymise.review import CaseReview, ReviewState
from desk_app.core.decision.model import Decision
from desk_app.core.errors import DeskError
from desk_app.core.ingest import SUPPORTED_SUFFIXES
from desk_app.core.pipeline.publish import proposed_case_path, proposed_export_folder
from desk_app.core.storage.autosave import AutosaveStore, new_session_id
from desk_app.core.storage.casefile import CASE_SUFFIX, CaseFile, SourceRef, check_sources
from desk_app.gui.actions import add_action
from desk_app.gui.engine import Analysis, Engine
from desk_app.gui.review.leaks import LEAK_ADVICE, LeakDialog
from desk_app.gui.review.panel import ReviewPanel
from desk_app.gui.settings import settings
from desk_app.gui.theme import apply_theme

if TYPE_CHECKING:
    from desk_app.core.output.leakscan import Leak
    from desk_app.core.pipeline import ExportResult, ReviewedExport

# Built from the readers' own list, so a new kind of file is offered as soon as it can be read.
_CASE_NOTES = " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES)
CASE_NOTES_FILTER = f"Case notes and scans ({_CASE_NOTES});;Decision Desk case (*{CASE_SUFFIX});;All files (*)"
OPEN_FILTER = (f"Case notes, scans, case or decision ({_CASE_NOTES} *{CASE_SUFFIX} *.decision.json);;"
               "Decision draft (*.decision.json);;All files (*)")
PROGRESS_DELAY_MS = 400     # quick work never flashes a progress bar
AUTOSAVE_MS = 60_000
MAX_RECENT = 10


def fitted_size(free: QRect, width: int, height: int) -> QSize:
    """``width`` x ``height``, or smaller to fit a screen's free area with the window frame
    (a 1366x768 laptop has about 1366x728 free under its task bar)."""
    return QSize(min(width, free.width() - 16), min(height, free.height() - 40))


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    screen = window.screen() or QApplication.primaryScreen()
    window.resize(fitted_size(screen.availableGeometry(), width, height) if screen is not None
                  else QSize(width, height))


class MainWindow(QMainWindow):
    def __init__(self, engine: Engine | None = None, store: AutosaveStore | None = None,
                 autosave_ms: int = AUTOSAVE_MS) -> None:
        super().__init__()
        self.setWindowTitle("Decision Desk[*]")
        self.setAcceptDrops(True)
        fit_to_screen(self, 1360, 860)
        self.engine = engine or Engine()
        self.store = store or AutosaveStore()
        self.session_id = new_session_id()
        self.case_path: Path | None = None
        self.review: CaseReview | None = None
        self.decision: Decision | None = None
        self.sources: list[Path] = []
        self.pending_state: ReviewState | None = None
        self.pending_notes: list[str] = []
        self.pending_sample = False     # the sample case gets a draft decision once analysed
        self._dirty = False             # changes since the last save
        self._autosave_due = False      # changes since the last autosave
        self.request: int | None = None
        self.busy_text = ""
        self.last_export: list[Path] = []
        self.last_leaks: list[Leak] = []   # why the last export was refused, if it was
        self.errors_shown: list[str] = []   # every error dialog's text, for the status log and tests
        self.ask = True   # tests and --selftest answer dialogs themselves
        self.compare_windows: list[QMainWindow] = []   # open compare windows, kept alive until closed

        self.undo_group = QUndoGroup(self)
        self.review_stack = QUndoStack(self.undo_group)
        self.decision_stack = QUndoStack(self.undo_group)
        self.undo_group.setActiveStack(self.review_stack)
        for stack in (self.review_stack, self.decision_stack):
            stack.cleanChanged.connect(self._update_title)
            stack.indexChanged.connect(self._changed)

        self.review_panel = ReviewPanel(self.review_stack)
        self.review_panel.changed.connect(self._changed)
        self.review_panel.changed.connect(self._people_changed)   # the decision follows renames and merges
        self.review_panel.notice.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.review_panel, "&Review")
        self.decision_editor = self._make_decision_editor()
        self.tabs.addTab(self.decision_editor, "&Decision")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)

        self._build_status_bar()
        self._build_menus()
        self._connect_engine()

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.progress_timer = QTimer(self)
        self.progress_timer.setSingleShot(True)
        self.progress_timer.timeout.connect(self._show_progress)
        self._update_actions()
        app = QApplication.instance()
        if isinstance(app, QApplication):   # the window's own keys win over a text field's (see eventFilter)
            app.focusChanged.connect(self._watch_keys)
        self.engine.start()

    # ------------------------------------------------------------------ building
    def _make_decision_editor(self) -> QWidget:
        from desk_app.core.decision import load_library
        from desk_app.gui.decision.editor import DecisionEditor

        try:
            library = load_library()
        except DeskError as exc:   # the editor still works without the library picker
            self.errors_shown.append(str(exc))
            library = None
        editor = DecisionEditor(self.decision_stack, library)
        editor.changed.connect(self._changed)
        return editor

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.model_label = QLabel("Loading the language model…")
        self.model_label.setAccessibleName("Language model status")
        self.unreviewed_label = QLabel()
        self.unreviewed_label.setAccessibleName("Detections to review")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.setAccessibleName("Progress")
        self.progress.setFormat("%p%")   # of the whole case: the label says which file and the time left
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the running task")
        self.cancel_button.setToolTip("Stop the running analysis or export (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress_label = QLabel()
        for w in (self.progress_label, self.progress, self.cancel_button):
            w.hide()
            bar.addPermanentWidget(w)
        bar.addPermanentWidget(self.unreviewed_label)
        bar.addPermanentWidget(self.model_label)

    _action = add_action   # self is the owner

    def _build_menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        self.open_action = self._action(f, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open,
                                        "Open case notes (txt, docx, pdf) or a saved case")
        self.sample_action = self._action(f, "Open &Sample Case", self.open_sample)
        self.recent_menu = f.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        f.addSeparator()
        self.save_action = self._action(f, "&Save Case", self.save, QKeySequence.StandardKey.Save)
        self.save_as_action = self._action(f, "Save Case &As…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        f.addSeparator()
        self.new_decision_action = self._action(f, "&New Decision…", self.new_decision)
        self.compare_action = self._action(f, "&Compare Drafts…", self.compare_dialog, QKeySequence("Ctrl+Shift+D"),
                                           "Compare two drafts of a decision side by side")
        self.export_action = self._action(f, "&Export…", lambda: self.export_dialog(False), QKeySequence("Ctrl+E"),
                                          "Export the anonymised documents, the decision and the report")
        self.export_anyway_action = self._action(f, "Export Before Review Is &Finished…",
                                                 lambda: self.export_dialog(True))
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence("Ctrl+Q"))

        e = mb.addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        e.addAction(self.undo_action)
        e.addAction(self.redo_action)
        e.addSeparator()
        rp = self.review_panel
        self.next_action = self._action(e, "&Next Detection to Review", lambda: rp.step(1), QKeySequence("F8"))
        self.prev_action = self._action(e, "&Previous Detection to Review", lambda: rp.step(-1),
                                        QKeySequence("Shift+F8"))
        self.accept_action = self._action(e, "&Accept Detection", lambda: rp.decide_current("accepted"),
                                          [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.reject_action = self._action(e, "&Reject Detection", lambda: rp.decide_current("rejected"),
                                          QKeySequence("Ctrl+Delete"))
        self.accept_all_action = self._action(e, "Accept A&ll Detections", rp.accept_all,
                                              QKeySequence("Ctrl+Shift+A"))

        v = mb.addMenu("&View")
        self.preview_action = QAction("Anonymised &Preview", self, checkable=True)
        self.preview_action.setShortcut(QKeySequence("Ctrl+P"))
        self.preview_action.toggled.connect(rp.preview_box.setChecked)
        rp.preview_box.toggled.connect(self.preview_action.setChecked)
        v.addAction(self.preview_action)
        self.addAction(self.preview_action)
        theme_menu = v.addMenu("&Theme")
        group = QActionGroup(self)
        current = str(settings().value("theme", "system"))
        for name in ("system", "light", "dark"):
            a = QAction(name.capitalize(), self, checkable=True)
            a.setChecked(name == current)
            a.triggered.connect(lambda _c=False, n=name: self.set_theme(n))
            group.addAction(a)
            theme_menu.addAction(a)

        h = mb.addMenu("&Help")
        self._action(h, "&Keyboard Shortcuts", self.show_shortcuts, QKeySequence("F1"))
        self._action(h, "&How Anonymisation Works", self.show_how_it_works)
        h.addSeparator()
        self._action(h, "&About Decision Desk", self.about)
        cancel = QAction(self)
        cancel.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        cancel.triggered.connect(self.cancel)
        self.addAction(cancel)

    def _connect_engine(self) -> None:
        w = self.engine.worker
        w.loading.connect(self._model_loading)
        w.ready.connect(self._model_ready)
        w.load_failed.connect(self._model_failed)
        w.progress.connect(self._progress)
        w.analysed.connect(self._analysed)
        w.exported.connect(self._exported)
        w.failed.connect(self._failed)
        w.cancelled.connect(self._cancelled)
        if self.engine.is_ready:
            self._model_ready("ready")

    # ------------------------------------------------------------------ status
    @Slot()
    def _model_loading(self) -> None:
        self.model_label.setText("Loading the language model…")

    @Slot(str)
    def _model_ready(self, info: str) -> None:
        self.model_label.setText(f"Model {info} ready (offline)")

    @Slot(str)
    def _model_failed(self, message: str) -> None:
        self.model_label.setText("Language model not available")
        self.error("The language model could not be loaded", message)

    def _begin(self, request: int, text: str) -> None:
        self.request = request
        self.busy_text = text
        self.progress_label.setText(text)
        self.progress.setRange(0, 0)
        self.progress_timer.start(PROGRESS_DELAY_MS)
        self.statusBar().showMessage(text)
        self.review_panel.set_loading(text)   # not "Open a case to start" while a case is opening
        self._update_actions()

    def _end(self) -> None:
        self.request = None
        self.progress_timer.stop()
        for w in (self.progress_label, self.progress, self.cancel_button):
            w.hide()
        self.statusBar().clearMessage()
        self.review_panel.set_loading(None)
        self._update_actions()

    @Slot()
    def _show_progress(self) -> None:
        if self.request is not None:
            for w in (self.progress_label, self.progress, self.cancel_button):
                w.show()

    @Slot(int, int, int, str)
    def _progress(self, request: int, done: int, total: int, what: str) -> None:
        if request != self.request:
            return
        self.progress.setRange(0, total)   # 0 of 0: a phase with no count (grouping people), shown busy
        self.progress.setValue(done)
        self.progress_label.setText(what)

    @Slot()
    def cancel(self) -> None:
        if self.request is not None:
            self.engine.cancel()
            self.statusBar().showMessage("Cancelling…")

    @Slot(int)
    def _cancelled(self, request: int) -> None:
        if request == self.request:
            self._end()
            self.statusBar().showMessage("Cancelled", 5000)

    @Slot(int, str)
    def _failed(self, request: int, message: str) -> None:
        if request == self.request:
            self._end()
            self.error("Decision Desk", message)

    def error(self, title: str, message: str) -> None:
        self.errors_shown.append(message)
        if self.ask:
            QMessageBox.warning(self, title, message)
        else:
            self.statusBar().showMessage(message, 10000)

    def _update_title(self) -> None:
        name = self.case_path.name if self.case_path else (
            f"{self.sources[0].parent.name or 'Case'} (not saved)" if self.sources else "")
        self.setWindowTitle(f"{name}[*] — Decision Desk" if name else "Decision Desk[*]")
        self.setWindowModified(self.is_dirty())

    def is_dirty(self) -> bool:
        return self._dirty

    @Slot()
    def _people_changed(self) -> None:
        """Rewrite the decision where a pseudonym changed (``DecisionEditor.set_people``)."""
        if self.review is not None:
            self.decision_editor.set_people(self.review.state.mapping)

    @Slot()
    def _changed(self) -> None:
        if self.review is not None or self.decision is not None:
            self._dirty = True
            self._autosave_due = True
        self._update_title()
        self._update_actions()

    def _update_actions(self) -> None:
        has_case = self.review is not None
        busy = self.request is not None
        unreviewed = len(self.review.unreviewed()) if self.review else 0
        self.save_action.setEnabled(has_case and not busy)
        self.save_as_action.setEnabled(has_case and not busy)
        self.export_action.setEnabled(has_case and not busy and unreviewed == 0)
        self.export_anyway_action.setEnabled(has_case and not busy and unreviewed > 0)
        self.new_decision_action.setEnabled(not busy)
        for a in (self.next_action, self.prev_action, self.accept_action, self.reject_action,
                  self.accept_all_action):
            a.setEnabled(has_case)
        if not has_case:
            self.unreviewed_label.setText("")
        elif unreviewed:
            self.unreviewed_label.setText(f"⚑ {unreviewed} detection{'s' if unreviewed != 1 else ''} to review "
                                          "— export is locked until they are")
        else:
            self.unreviewed_label.setText("✓ every detection reviewed")

    @Slot(int)
    def _tab_changed(self, index: int) -> None:
        self.undo_group.setActiveStack(self.review_stack if index == 0 else self.decision_stack)

    def set_theme(self, name: str) -> None:
        settings().setValue("theme", name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        self.review_panel.refresh()

    def show_shortcuts(self) -> QDialog:
        from desk_app.gui.help import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setModal(True)
        dialog.show()   # (not exec: tests and the screenshot script look at it while it is open)
        return dialog

    def show_how_it_works(self) -> QDialog:
        from desk_app.gui.help import HowItWorksDialog

        dialog = HowItWorksDialog(self)
        dialog.show()
        return dialog

    def about(self) -> None:
        QMessageBox.about(self, "About Decision Desk",
                          f"Decision Desk {__version__}\nOffline anonymisation and drafting of LGO decision "
                          f"statements.\n{self.model_label.text()}\nNothing is ever sent over the network.")

    # ------------------------------------------------------------------ opening
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Open case notes, a case or a decision", "", OPEN_FILTER)
        if paths:
            self.open_paths([Path(p) for p in paths])

    def open_sample(self) -> None:
        from desk_app.gui.sample import sample_paths

        self.open_paths(sample_paths(), sample=True)

    def open_paths(self, paths: Sequence[Path], sample: bool = False) -> None:
        """Open case notes as a new case, or one saved ``.deskcase``; a ``.decision.json``
        goes into the Decision tab (of the open case, or of the case opened with it)."""
        from desk_app.gui.decision.open import is_decision_file

        decisions = [Path(p) for p in paths if is_decision_file(Path(p))]
        if decisions and len(decisions) == len(paths):
            self.open_decision_file(decisions[0])
            return
        if not self.maybe_save():
            return
        paths = [Path(p) for p in paths if not is_decision_file(Path(p))]
        cases = [p for p in paths if p.suffix.lower() == CASE_SUFFIX]
        if cases:
            self.open_case_file(cases[0])
            if decisions:
                self.open_decision_file(decisions[0], confirm=False)
            return
        from desk_app.core.ingest import iter_case_files

        missing = [p for p in paths if not p.exists()]
        files = iter_case_files([p for p in paths if p.exists()])
        if missing or not files:
            self.error("Nothing to open", "\n".join([f"{p}: no such file or folder" for p in missing]
                                                    or [f"No {', '.join(SUPPORTED_SUFFIXES[:-1])} or "
                                                        f"{SUPPORTED_SUFFIXES[-1]} files were chosen."]))
            if not files:
                return
        self._start_case(files, None, None, None, [], sample=sample)
        for p in files:
            self._add_recent(p)
        if decisions:
            self.open_decision_file(decisions[0], confirm=False)

    def open_decision_file(self, path: Path, confirm: bool = True) -> bool:
        """A draft from ``desk-app new-decision`` (or any ``.decision.json``) into the Decision tab."""
        from desk_app.gui.decision.open import open_decision

        try:
            decision = open_decision(self.decision_editor, path, self if (confirm and self.ask) else None)
        except DeskError as exc:
            self.error("The decision could not be opened", str(exc))
            return False
        if decision is None:   # the user kept the decision being edited
            return False
        self.decision = decision
        self.tabs.setCurrentWidget(self.decision_editor)
        self._add_recent(path)
        self._changed()
        return True

    def open_case_file(self, path: Path) -> None:
        try:
            case = CaseFile.load(path)
            state = ReviewState.from_dict(case.review)
        except DeskError as exc:
            self.error("The case could not be opened", str(exc))
            return
        self._open_case(case, state, path)
        self._add_recent(path)

    def _open_case(self, case: CaseFile, state: ReviewState, path: Path | None) -> None:
        notes, files = [], []
        for status in check_sources(case):
            name = status.source.path.name
            if status.state == "missing":
                notes.append(f"{status.source.path}: the source file is missing; it is left out of the case")
                continue
            if status.state == "changed":
                notes.append(f"{name} has changed since the case was saved: it was analysed again, and review "
                             "decisions on text that changed were dropped")
            elif status.state == "moved":
                notes.append(f"{name} was found next to the case file, at {status.path}")
            files.append(status.path)
        if not files:
            self.error("The case could not be opened", "\n".join(notes) or "The case has no source files.")
            return
        self._start_case(files, state, case.decision, path, notes)

    def _start_case(self, files: list[Path], state: ReviewState | None, decision: Decision | None,
                    case_path: Path | None, notes: list[str], sample: bool = False) -> None:
        self.review = None
        self.review_panel.set_review(None)
        self.sources = files
        self.case_path = case_path
        self.pending_state = state
        self.pending_notes = notes
        self.pending_sample = sample
        self.pending_recovered = False
        self.decision = decision
        self.decision_editor.set_decision(decision)
        self.decision_editor.set_people(None)   # another case: its people are recorded once analysed
        self.review_stack.clear()
        self.decision_stack.clear()
        self._dirty = False
        self._update_title()
        if not self.engine.is_ready:
            self.statusBar().showMessage("Waiting for the language model…")
        self._begin(self.engine.analyse(files, self.pending_state),
                    f"Analysing {len(files)} file{'s' if len(files) != 1 else ''}")

    @Slot(object)
    def _analysed(self, result: Analysis) -> None:
        if result.request != self.request:
            return
        self._end()
        problems = [f"{p.name}: {msg}" for p, msg in result.errors]
        if not result.documents:
            self.error("Nothing could be analysed", "\n".join(problems))
            return
        if result.review_error:   # (the review is built on the engine thread: it takes seconds on a big case)
            self.error("The saved review could not be applied", result.review_error)
        self.review = result.review or CaseReview(result.documents, result.detections)
        self.review_panel.set_review(self.review)
        self.decision_editor.set_anonymiser(self.review.anonymise_text)
        self.decision_editor.set_people(self.review.state.mapping)
        if self.decision is None and self.pending_sample:
            from desk_app.gui.sample import sample_decision

            self.decision = sample_decision(self.review.anonymise_text)
            self.decision_editor.set_decision(self.decision)
        self._dirty = self.pending_state is not None and bool(self.pending_notes)
        if getattr(self, "pending_recovered", False):   # restored after a crash: not saved anywhere yet
            self.pending_recovered = False
            self._dirty = self._autosave_due = True
            self.autosave()
        self._update_title()
        self._update_actions()
        words = sum(len(d.text.split()) for d in result.documents)
        self.statusBar().showMessage(f"Analysed {len(result.documents)} file(s), {words:,} words, in "
                                     f"{result.seconds:.1f} s: {len(self.review.people)} people, "
                                     f"{len(self.review.occurrences)} detections", 15000)
        if problems or self.pending_notes:
            self.error("Opened with notes", "\n".join(problems + self.pending_notes))

    # ------------------------------------------------------------------ saving
    def case_file(self) -> CaseFile:
        assert self.review is not None
        self.decision_editor.commit_pending()   # text still being typed belongs in the file
        return CaseFile(sources=[SourceRef.of(d.path) for d in self.review.documents],
                        review=self.review.state.to_dict(), decision=self.decision_editor.decision(),
                        path=self.case_path)

    def save(self) -> bool:
        if self.review is None:
            return False
        if self.case_path is None:
            return self.save_as()
        return self.save_to(self.case_path)

    def save_as(self) -> bool:
        if self.review is None:
            return False
        start = self.case_path or proposed_case_path(self._reference(), self.sources, self._documents_folder())
        name, _ = QFileDialog.getSaveFileName(self, "Save case", str(start), "Decision Desk case (*.deskcase)")
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != CASE_SUFFIX:
            path = path.with_suffix(CASE_SUFFIX)
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        try:
            case = self.case_file()
            case.save(path)
        except DeskError as exc:
            self.error("The case was not saved", str(exc))
            return False
        self.case_path = path
        self._dirty = False
        self.review_stack.setClean()
        self.decision_stack.setClean()
        self.store.discard(self.session_id)
        self._add_recent(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def maybe_save(self) -> bool:
        """Ask before unsaved work is lost; False means the user chose to stay."""
        if not self.is_dirty() or not self.ask:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", "The case has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ------------------------------------------------------------------ autosave
    @Slot()
    def autosave(self) -> Path | None:
        """Write unsaved work where a crash cannot take it (the user's data folder)."""
        if self.review is None or not (self._dirty and self._autosave_due):
            return None
        try:
            path = self.store.write(self.session_id, self.case_file().to_dict(), self.case_path)
        except (DeskError, OSError, TypeError) as exc:
            self.statusBar().showMessage(f"Autosave failed: {exc}", 10000)
            return None
        self._autosave_due = False
        return path

    def offer_recovery(self, answer: QMessageBox.StandardButton | None = None) -> bool:
        """After a crash: offer the newest unsaved work back. ``answer`` skips the dialog."""
        self.store.purge()
        pending = self.store.pending()
        if not pending:
            return False
        latest = pending[0]
        if answer is None:
            box = QMessageBox(QMessageBox.Icon.Question, "Restore unsaved work?",
                              f"Decision Desk did not close properly. Unsaved work from "
                              f"{latest.written_at.astimezone():%d %b %Y %H:%M} can be restored.", parent=self)
            restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
            box.exec()
            answer = QMessageBox.StandardButton.Yes if box.clickedButton() is restore else QMessageBox.StandardButton.No
        if answer != QMessageBox.StandardButton.Yes:
            for a in pending:
                self.store.discard(a.session_id)
            return False
        try:
            case = CaseFile.from_dict(latest.data, latest.case_path)
            state = ReviewState.from_dict(case.review)
        except DeskError as exc:
            self.error("The unsaved work could not be restored", str(exc))
            return False
        # restored work is unsaved work: it stays marked modified, and its autosave stays on disk
        # (now this session's, rewritten as soon as the case is analysed) until it is saved
        self._open_case(case, state, latest.case_path)
        self.session_id = latest.session_id
        self.pending_recovered = True
        return True

    # ------------------------------------------------------------------ decision
    def new_decision(self) -> None:
        from desk_app.core.decision.case_hints import case_hints
        from desk_app.gui.decision.header_form import new_decision_dialog

        review = self.review   # organisation, reference and complainant, where the case names them
        hints = case_hints([d.text for d in review.documents], review.state.mapping) if review is not None else None
        decision = new_decision_dialog(self, hints=hints)
        if decision is not None:
            self.decision = decision
            self.decision_editor.set_decision(decision)
            self.decision_stack.clear()
            self.tabs.setCurrentIndex(1)
            self._changed()

    # ------------------------------------------------------------------ compare
    def compare_dialog(self) -> None:
        """Ask for the original and the revised draft, and open them side by side in a window of their own."""
        from desk_app.gui.compare.window import DRAFT_FILTER, CompareWindow

        start = str(self.sources[0].parent) if self.sources else ""
        left, _ = QFileDialog.getOpenFileName(self, "Compare drafts: the original (left)", start, DRAFT_FILTER)
        if not left:
            return
        right, _ = QFileDialog.getOpenFileName(self, "Compare drafts: the revised draft (right)",
                                               str(Path(left).parent), DRAFT_FILTER)
        if not right:
            return
        window = CompareWindow(Path(left), Path(right))
        window.ask = self.ask
        self.compare_windows = [w for w in self.compare_windows if w.isVisible()]   # closed ones can go
        self.compare_windows.append(window)
        window.show()

    # ------------------------------------------------------------------ export
    def _reference(self) -> str | None:
        decision = self.decision_editor.decision()
        return decision.header.reference if decision is not None else None

    def _documents_folder(self) -> Path:
        """Where exports and case files are proposed when the case's own folder will not do."""
        from PySide6.QtCore import QStandardPaths

        return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                    or Path.home())

    def export_dialog(self, anyway: bool) -> int | None:
        """Ask what must be asked (unreviewed detections, values kept in one file and replaced in
        another, an unfinished decision; each defaults to No), then where: a new empty folder
        named after the reference is proposed. Returns the export's request, if one started."""
        if self.review is None:
            return None
        if not self.decision_editor.allow_export(self, self.ask, self.errors_shown):   # before asking for a folder
            self.tabs.setCurrentWidget(self.decision_editor)
            return None
        from desk_app.core.anonymise.consistency import kept_but_replaced
        from desk_app.gui.review.export_dialogs import ExportFolderDialog, ask_yes_no

        left = len(self.review.unreviewed())
        if left and not anyway:
            return None
        if left and self.ask and not ask_yes_no(
                self, "Export before review is finished?",
                f"{left} detection{'s are' if left != 1 else ' is'} not reviewed yet. Anything the tool got wrong "
                "will be exported as it is. Export anyway?"):
            return None
        kept = [k.message() for k in kept_but_replaced(self.review)]
        if kept:
            question = "\n".join(kept)
            self.errors_shown.append(question)
            if self.ask and not ask_yes_no(
                    self, "Kept in one file, replaced in another",
                    question + "\n\nPublish it as written where it is kept?",
                    "Every copy is published, so the replaced copies do not hide it. Choose No, then accept the "
                    "detection where it is kept (or reject it everywhere) in the Review tab."):
                return None
        confirm = getattr(self.decision_editor, "confirm_export", None)   # placeholders / empty sections left
        if confirm is not None and self.ask and not confirm(self):
            return None
        folder = proposed_export_folder(self._reference(), self.sources, self._documents_folder())
        if self.ask:
            dialog = ExportFolderDialog(folder, self._reference(), self.sources, self._export_problem, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            folder = dialog.folder()
        return self.export_to(folder)

    def _export_problem(self, folder: Path) -> str | None:
        """Why the export cannot go into ``folder`` (the pipeline's up-front check), or None."""
        from desk_app.core.pipeline import check_reviewed

        try:
            check_reviewed(self._export_request(folder))
        except DeskError as exc:
            return f"{exc}; choose another folder"
        return None

    def _export_request(self, folder: Path) -> ReviewedExport:
        """The export of the current review into ``folder``, as the worker will get it."""
        from desk_app.core.anonymise.consistency import kept_but_replaced
        from desk_app.core.output.leakscan import LeakTerms
        from desk_app.core.people.mapping import CaseMapping
        from desk_app.core.pipeline import ReviewedExport, WriteJob

        review = self.review
        assert review is not None
        docs = list(review.documents)
        replacements = [review.replacements(i) for i in range(len(docs))]
        self.decision_editor.commit_pending()
        decision = self.decision_editor.decision()
        mapping = CaseMapping.from_dict(review.state.mapping.to_dict())   # the worker's own copy
        case = WriteJob(
            docs, replacements, mapping, LeakTerms.from_result(review.result), review.report(),
            # what the reviewer rejected keeps its original text on purpose, and so does a possible
            # name the tool left and the reviewer did not turn down: not leaks, and both are reported
            kept=[[d.text[r.start:r.end] for r in review.result.replacements[i] if r not in replacements[i]]
                  + review.kept(i) for i, d in enumerate(docs)],
            possible=review.possible_names())
        paths = [str(d.path) for d in docs]
        return ReviewedExport(
            case, Path(folder), people=mapping.to_dict()["people"], warnings=list(review.warnings),
            rejected=[{"file": f, "start": s, "end": e, "text": t} for (f, s, e), (d, t) in
                      sorted(review.state.decisions.items()) if d == "rejected"],
            unreviewed=len(review.unreviewed()),
            decision_json=json.dumps(decision.to_dict()) if decision is not None else None,
            review_counts=review.review_counts(),
            kept_but_replaced=[k.as_dict(paths) for k in kept_but_replaced(review)])

    def export_to(self, folder: Path) -> int | None:
        """Export the reviewed case into ``folder`` through the one export path
        (``core.pipeline.export_reviewed``) on the engine thread: the anonymised documents,
        the decision (.docx) and the report.

        The window only builds the request from the review and shows the result. The
        pipeline checks every path first (never over a source, never two files on one name,
        never onto a special file: refused here at once, with nothing written), names each
        copy without the people's names, and reads every copy back for the case's original
        names. All or nothing: on a leak, a failure or a cancel every file it wrote is
        deleted, and a leak is shown with its places so the reviewer can fix the mapping.
        """
        if self.review is None:
            return None
        if not self.decision_editor.allow_export(self, self.ask, self.errors_shown):   # a pseudonym of no one
            self.tabs.setCurrentWidget(self.decision_editor)
            return None
        from desk_app.core.pipeline import check_reviewed

        request = self._export_request(folder)
        try:
            check_reviewed(request)
        except DeskError as exc:
            self.error("Export refused", f"{exc}; choose another folder")
            return None
        self.last_request = request
        job = self.engine.export(request)
        self._begin(job, f"Exporting into {Path(folder).name}")
        return job

    @Slot(int, object)
    def _exported(self, request: int, result: ExportResult) -> None:
        if request != self.request:
            return
        self._end()
        if result.leaks:
            self.last_export = []
            self.show_leaks(result.leaks)
            return
        self.last_export = list(result.written)
        self.show_summary(result)

    def show_summary(self, result: ExportResult) -> None:
        """Say what the export did: the files in the publication folder, the replacements, all
        that was kept as written, and where the private report is; with an Open Folder button."""
        from desk_app.core.pipeline.publish import summarise
        from desk_app.gui.review.export_dialogs import ExportSummaryDialog

        request = getattr(self, "last_request", None)
        kept = [k["message"] for k in (request.kept_but_replaced or [])] if request is not None else []
        self.last_summary = summarise(result, len(request.rejected or []) if request is not None else 0, kept,
                                      len(result.possible))
        self.statusBar().showMessage(f"Exported {len(self.last_summary.files)} file(s) into {result.out_dir}",
                                     15000)
        if self.ask:
            ExportSummaryDialog(self.last_summary, self).exec()

    def show_leaks(self, leaks: Sequence[Leak]) -> None:
        """Say why the export was refused and where each name is; the review stays open so
        the reviewer can add the missed name and export again."""
        from desk_app.gui.decision.leaks import go_to_leak, is_decision_leak, place_decision_leaks

        leaks = place_decision_leaks(self.decision_editor, leaks)   # "paragraph 16", as printed
        files = sorted({leak.file.name for leak in leaks})
        lines = [f"Export refused: original names were found in {len(files)} exported "
                 f"file{'s' if len(files) != 1 else ''} ({', '.join(files)}). Nothing was exported: every file "
                 "this export wrote has been deleted."]
        lines += [f"  {leak.file.name}: {leak}" for leak in leaks]
        lines.append(LEAK_ADVICE)
        message = "\n".join(lines)
        self.errors_shown.append(message)
        self.last_leaks = list(leaks)
        if any(not leak.file.name.startswith("decision-") for leak in leaks):
            self.tabs.setCurrentWidget(self.review_panel)

        def jump(leak: Leak) -> bool:
            self.tabs.setCurrentWidget(self.decision_editor)
            return go_to_leak(self.decision_editor, leak)

        if self.ask:
            LeakDialog(leaks, self, jump).exec()
        else:
            self.statusBar().showMessage(lines[0], 15000)
            if all(is_decision_leak(leak) for leak in leaks):
                jump(leaks[0])

    # ------------------------------------------------------------------ recent files, drops
    def _add_recent(self, path: Path) -> None:
        s = settings()
        recent = [p for p in (s.value("recent", []) or []) if p != str(path)]
        s.setValue("recent", [str(path), *recent][:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        s = settings()
        recent = [p for p in (s.value("recent", []) or []) if Path(p).exists()]
        s.setValue("recent", recent)
        for n, p in enumerate(recent, 1):
            label = f"&{n} {Path(p).name}" if n < 10 else Path(p).name
            action = self.recent_menu.addAction(label)
            action.setToolTip(p)
            action.triggered.connect(lambda _c=False, p=p: self.open_paths([Path(p)]))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("&Clear Recent", lambda: settings().setValue("recent", []))
        else:
            self.recent_menu.addAction("(none)").setEnabled(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # ------------------------------------------------------------------ closing
    @Slot(object, object)
    def _watch_keys(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Filter the keys of the text field that has the focus (only that one: a filter on
        the whole application would run Python for every event, and take the GIL from the
        engine thread each time)."""
        if isinstance(new, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox)) \
                and self.isAncestorOf(new):
            new.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+E exports even while a text field has the focus: a line edit claims Ctrl+E
        for "end of line" (the emacs key on Linux) and the shortcut never fired. Letting the
        key pass as a shortcut is all this does; End still moves to the end of the line."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QWidget) \
                and isinstance(event, QKeyEvent) and self.isAncestorOf(watched):
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(k) == QKeySequence.SequenceMatch.ExactMatch
                   for k in self.export_action.shortcuts()):
                event.ignore()
                return True
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.autosave_timer.stop()
        self.engine.stop()
        self.store.discard(self.session_id)   # a clean exit leaves nothing to recover
        event.accept()
