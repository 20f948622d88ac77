"""The side-by-side compare window: two drafts of a decision, aligned row by row.

A top-level window, so a reviewer can keep it beside the workspace. It owns no comparison
logic: loading and comparing are ``desk_app.core.compare``'s and run on a worker thread,
the exports are ``html_report``'s and ``redline``'s. What lives here is showing a
``Comparison`` (``compare_panes``), stepping through its changes, and keeping the view
honest: a newer request always wins over an older one still running, and a file that
changes on disk marks the comparison as out of date instead of silently disagreeing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.compare.model import ChangeKind, CompareOptions, Comparison, Draft
from desk_app.core.errors import DeskError, InputError, OutputError
from desk_app.gui.actions import add_action
from desk_app.gui.compare.panes import (
    LEFT,
    RIGHT,
    ComparePane,
    align,
    change_text,
    change_title,
    colours,
)
from desk_app.gui.settings import settings
from desk_app.gui.tasks import WorkerThread
from desk_app.gui.theme import apply_theme, is_dark

DRAFT_FILTER = "Drafts (*.txt *.md *.docx *.json);;All files (*)"
ALIGN_DELAY_MS = 80
FILTERS = (("All changes", None), ("Changed", ChangeKind.CHANGED), ("Inserted", ChangeKind.INSERTED),
           ("Deleted", ChangeKind.DELETED), ("Moved", ChangeKind.MOVED))


class CompareWorker(QObject):
    """Lives on the window's worker thread; runs one job at a time, in order.

    A compare job older than the newest one is skipped before it starts: the user already
    asked for something else, so its result would only be thrown away.
    """

    done = Signal(int, object)        # job, result
    failed = Signal(int, str)         # job, one-line message naming the file

    def __init__(self) -> None:
        super().__init__()
        self.latest = 0

    @Slot(int, object, bool)
    def run(self, job: int, fn: Callable[[], object], skippable: bool) -> None:
        if skippable and job < self.latest:
            return
        try:
            result = fn()
        except DeskError as exc:
            self.failed.emit(job, str(exc))
        except Exception as exc:  # noqa: BLE001 - the window must say why, not die
            self.failed.emit(job, f"the comparison failed ({type(exc).__name__}: {exc})")
        else:
            self.done.emit(job, result)


def _load(path: Path) -> Draft:
    """Any failure reading a draft becomes one line naming it."""
    from desk_app.core.compare import load_draft

    try:
        return load_draft(path)
    except DeskError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"could not be read ({type(exc).__name__}: {exc})", path) from None


def _swatch(colour: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)


class CompareWindow(QMainWindow):
    """Two drafts side by side; ``comparison`` is what is on screen (None before the first)."""

    compared = Signal()            # a new comparison is on screen
    exported = Signal(str)         # a file an export wrote
    _submit = Signal(int, object, bool)

    def __init__(self, left_path: Path | str | None = None, right_path: Path | str | None = None,
                 options: CompareOptions | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Compare Drafts — Decision Desk")
        self.resize(1400, 860)
        self.left_path: Path | None = None
        self.right_path: Path | None = None
        self.options = options or CompareOptions()
        self.comparison: Comparison | None = None
        self.current: int | None = None     # index into comparison.changes
        self.generation = 0                 # the newest compare request; older results are ignored
        self.seconds = 0.0                  # how long the last compare took, loading included
        self.busy = False
        self.stale: set[str] = set()        # sides whose file changed on disk since it was read
        self.errors_shown: list[str] = []
        self.ask = True                     # tests answer dialogs themselves
        self._drafts: tuple[Draft, Draft] | None = None   # the files as read, reused when only options change
        self._jobs = 0
        self._exports: dict[int, Path] = {}
        self._syncing = False

        self.align_timer = QTimer(self)
        self.align_timer.setSingleShot(True)
        self.align_timer.setInterval(ALIGN_DELAY_MS)
        self.align_timer.timeout.connect(self._realign)
        self.render_timer = QTimer(self)
        self.render_timer.setSingleShot(True)
        self.render_timer.timeout.connect(self._rerender)
        self._build_worker()
        self._build_ui()
        self._build_actions()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self._update_actions()
        if left_path is not None and right_path is not None:
            self.set_files(left_path, right_path)

    # ------------------------------------------------------------------ building
    def _build_worker(self) -> None:
        self.worker = CompareWorker()
        self.tasks = WorkerThread(self.worker, "desk-compare")
        self.thread_ = self.tasks.thread
        self._submit.connect(self.worker.run)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._stop_worker)
        self.tasks.start()

    def _build_ui(self) -> None:
        self.header = QLabel("Choose two drafts to compare (File ▸ Open Drafts…)")
        self.header.setAccessibleName("Which draft is on which side")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.swap_button = QPushButton("⇄ S&wap Sides")
        self.swap_button.setAccessibleName("Swap the original and the revised draft")
        self.swap_button.setToolTip("Put the revised draft on the left and compare again (Ctrl+Shift+X)")
        self.swap_button.clicked.connect(self.swap)
        self.stale_label = QLabel()
        self.stale_label.setAccessibleName("File changed on disk")
        self.stale_label.setStyleSheet("font-weight: bold")
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setAccessibleName("Read both files again and compare")
        self.reload_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 2)
        top.addWidget(self.header, 1)
        top.addWidget(self.stale_label)
        top.addWidget(self.reload_button)
        top.addWidget(self.swap_button)
        self.stale_label.hide()
        self.reload_button.hide()

        self.left_pane = ComparePane(LEFT)
        self.right_pane = ComparePane(RIGHT)
        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.setChildrenCollapsible(False)
        panes.addWidget(self.left_pane)
        panes.addWidget(self.right_pane)
        for pane, other in ((self.left_pane, self.right_pane), (self.right_pane, self.left_pane)):
            pane.verticalScrollBar().valueChanged.connect(lambda v, o=other: self._sync_scroll(o, v))
            pane.resized.connect(self.align_timer.start)

        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Changes by type")
        self.counts_label.setWordWrap(True)
        self.counts_label.setStyleSheet("font-weight: bold")
        self.filter_box = QComboBox()
        self.filter_box.setAccessibleName("Show changes of type")
        for text, _kind in FILTERS:
            self.filter_box.addItem(text)
        self.filter_box.currentIndexChanged.connect(self._apply_filter)
        self.change_list = QListWidget()
        self.change_list.setAccessibleName("Changes")
        self.change_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.change_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.change_list.setUniformItemSizes(True)
        self.change_list.setSpacing(1)
        self.change_list.currentItemChanged.connect(self._list_clicked)
        side = QWidget()
        box = QVBoxLayout(side)
        box.setContentsMargins(6, 0, 0, 0)
        title = QLabel("&Changes")
        title.setBuddy(self.change_list)
        box.addWidget(title)
        box.addWidget(self.counts_label)
        box.addWidget(self.filter_box)
        box.addWidget(self.change_list, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(panes)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([1080, 320])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Comparison summary")
        # apart from the status bar's messages: a message ending "2 moved" ran into "6 paragraphs"
        self.summary_label.setContentsMargins(12, 0, 6, 0)
        self.summary_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.statusBar().addPermanentWidget(self.summary_label)

    _action = add_action   # self is the owner

    def _build_actions(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        self.open_action = self._action(f, "&Open Drafts…", self.open_dialog, QKeySequence.StandardKey.Open,
                                        "Choose the original and the revised draft")
        self.reload_action = self._action(f, "&Reload Files", self.reload, QKeySequence("F5"),
                                          "Read both files again and compare")
        f.addSeparator()
        self.export_html_action = self._action(f, "Export &HTML Report…", self.export_html_dialog,
                                               tip="Write the comparison as a web page")
        self.export_redline_action = self._action(f, "Export &Word Redline…", self.export_redline_dialog,
                                                  tip="Write the revised draft with tracked changes (.docx)")
        f.addSeparator()
        self._action(f, "&Close", self.close, QKeySequence("Ctrl+W"))

        c = mb.addMenu("&Changes")
        self.next_action = self._action(c, "&Next Change", lambda: self.step(1), QKeySequence("F8"),
                                        "Go to the next change (F8)")
        self.prev_action = self._action(c, "&Previous Change", lambda: self.step(-1), QKeySequence("Shift+F8"),
                                        "Go to the previous change (Shift+F8)")

        v = mb.addMenu("&View")
        self.swap_action = self._action(v, "S&wap Sides", self.swap, QKeySequence("Ctrl+Shift+X"),
                                        "Put the revised draft on the left and compare again")
        self.lock_action = self._action(v, "&Lock Scrolling", self._lock_changed, QKeySequence("Ctrl+L"),
                                        "Scroll both panes together", checkable=True, checked=True)
        v.addSeparator()
        o = self.options
        self.case_action = self._action(v, "Ignore &Case", self._options_changed, tip="Capitals do not count",
                                        checkable=True, checked=o.ignore_case)
        self.space_action = self._action(v, "Ignore White&space", self._options_changed,
                                         tip="Runs of spaces, tabs and non-breaking spaces count as one space",
                                         checkable=True, checked=o.ignore_whitespace)
        self.quote_action = self._action(v, "Ignore &Quote Style", self._options_changed,
                                         tip="Curly and straight quotes and apostrophes count as the same",
                                         checkable=True, checked=o.ignore_quotes)

        bar = QToolBar("Options")
        bar.setObjectName("compare-options")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.case_box = self._box(bar, "Ignore case", self.case_action)
        self.space_box = self._box(bar, "Ignore whitespace", self.space_action)
        self.quote_box = self._box(bar, "Ignore quote style", self.quote_action)
        bar.addSeparator()
        self.lock_box = self._box(bar, "Lock scrolling", self.lock_action)
        bar.addSeparator()
        bar.addAction(self.prev_action)
        bar.addAction(self.next_action)
        self.prev_action.setIconText("◀ Previous")
        self.next_action.setIconText("Next ▶")

    def _box(self, bar: QToolBar, text: str, action: QAction) -> QCheckBox:
        """A toolbar checkbox that is a view of ``action``: the action holds the state."""
        box = QCheckBox(text)
        box.setAccessibleName(text)
        box.setToolTip(action.toolTip())
        box.setChecked(action.isChecked())
        box.toggled.connect(action.setChecked)
        action.toggled.connect(box.setChecked)
        bar.addWidget(box)
        return box

    # ------------------------------------------------------------------ files
    def set_files(self, left: Path | str, right: Path | str) -> None:
        """Compare ``left`` (the original) with ``right`` (the revision), reading both."""
        self.left_path, self.right_path = Path(left), Path(right)
        self._drafts = None
        self.stale.clear()
        self._update_header()
        self._watch()
        self._request(reload=True)

    def open_dialog(self) -> None:
        start = str(self.left_path.parent) if self.left_path else ""
        left, _ = QFileDialog.getOpenFileName(self, "Choose the original draft (left)", start, DRAFT_FILTER)
        if not left:
            return
        right, _ = QFileDialog.getOpenFileName(self, "Choose the revised draft (right)", str(Path(left).parent),
                                               DRAFT_FILTER)
        if right:
            self.set_files(left, right)

    def reload(self) -> None:
        if self.left_path is not None and self.right_path is not None:
            self._watch()
            self._request(reload=True)

    def swap(self) -> None:
        if self.left_path is None or self.right_path is None:
            return
        self.left_path, self.right_path = self.right_path, self.left_path
        if self._drafts is not None:
            self._drafts = (self._drafts[1], self._drafts[0])
        self.stale = {RIGHT if s == LEFT else LEFT for s in self.stale}
        self._update_header()
        self._update_stale()
        self._request(reload=self._drafts is None)

    def set_options(self, options: CompareOptions) -> None:
        for action, on in ((self.case_action, options.ignore_case), (self.space_action, options.ignore_whitespace),
                           (self.quote_action, options.ignore_quotes)):
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)
        for box, on in ((self.case_box, options.ignore_case), (self.space_box, options.ignore_whitespace),
                        (self.quote_box, options.ignore_quotes)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.options = options
        self._request(reload=self._drafts is None)

    def _options_changed(self) -> None:
        self.options = replace(self.options, ignore_case=self.case_action.isChecked(),
                               ignore_whitespace=self.space_action.isChecked(),
                               ignore_quotes=self.quote_action.isChecked())
        self._request(reload=self._drafts is None)

    # ------------------------------------------------------------------ background work
    def _next_job(self) -> int:
        self._jobs += 1
        return self._jobs

    def _request(self, reload: bool) -> int | None:
        """Start a comparison off the GUI thread; any older one still running is forgotten."""
        if self.left_path is None or self.right_path is None:
            return None
        job = self._next_job()
        self.generation = self.worker.latest = job
        left, right, options = self.left_path, self.right_path, self.options
        drafts = None if reload else self._drafts

        def run() -> tuple[Comparison, float, bool]:
            started = time.perf_counter()
            from desk_app.core.compare import compare

            a, b = drafts if drafts is not None else (_load(left), _load(right))
            return compare(a, b, options), time.perf_counter() - started, drafts is None

        self.busy = True
        self.statusBar().showMessage(f"Comparing {left.name} with {right.name}…")
        self._update_actions()
        self._submit.emit(job, run, True)
        return job

    @Slot(int, object)
    def _done(self, job: int, result: object) -> None:
        if job in self._exports:
            path = self._exports.pop(job)
            self.statusBar().showMessage(f"Exported {path}", 15000)
            self.exported.emit(str(path))
            return
        if job != self.generation:
            return   # a newer request is on its way
        comparison, seconds, reread = result  # type: ignore[misc]
        self.busy = False
        self.seconds = seconds
        if reread:   # the files as they are now: no longer out of date
            self.stale.clear()
            self._update_stale()
        self._show(comparison)

    @Slot(int, str)
    def _failed(self, job: int, message: str) -> None:
        if job in self._exports:
            self._exports.pop(job)
            self.error("The export failed", message)
            return
        if job != self.generation:
            return
        self.busy = False
        shown = self.comparison
        if shown is not None and (shown.left.path, shown.right.path) != (self.left_path, self.right_path):
            self._show(None)   # what is on screen is not these files
        self._update_actions()
        self.error("The drafts could not be compared", message)

    def error(self, title: str, message: str) -> None:
        """One line in the status bar, and a dialog naming the file unless tests answer."""
        self.errors_shown.append(message)
        self.statusBar().showMessage(message.splitlines()[0] if message else title, 15000)
        if self.ask:
            QMessageBox.warning(self, title, message)

    # ------------------------------------------------------------------ showing
    def _show(self, comparison: Comparison | None) -> None:
        same = (comparison is not None and self.comparison is not None
                and comparison.left.name == self.comparison.left.name
                and comparison.right.name == self.comparison.right.name)
        keep = self.left_pane.verticalScrollBar().value() if same else 0
        self.comparison = comparison
        self.current = None
        self._drafts = (comparison.left, comparison.right) if comparison is not None else None
        self._render()
        self.left_pane.verticalScrollBar().setValue(keep)
        self._sync_scroll(self.right_pane, self.left_pane.verticalScrollBar().value())
        self._fill_changes()
        self._update_header()
        self._update_actions()
        if comparison is None:
            self.summary_label.setText("")
            return
        self.summary_label.setText(f"{comparison.summary()} · {comparison.options.describe()} · "
                                   f"compared in {self.seconds:.2f} s")
        self.statusBar().showMessage(f"Compared in {self.seconds:.2f} s", 10000)   # the summary is beside it
        self.setWindowTitle(f"{comparison.left.name} → {comparison.right.name} — Compare Drafts — Decision Desk")
        self.compared.emit()

    def _render(self) -> None:
        pal = colours(is_dark())
        self.left_pane.fill(self.comparison, pal)
        self.right_pane.fill(self.comparison, pal)
        if self.comparison is not None:
            align(self.left_pane, self.right_pane)

    @Slot()
    def _rerender(self) -> None:
        """After a theme switch: same comparison, colours for the new palette."""
        if self.comparison is None:
            return
        value = self.left_pane.verticalScrollBar().value()
        current = self.current
        self._render()
        self.left_pane.verticalScrollBar().setValue(value)
        self._sync_scroll(self.right_pane, value)
        if current is not None:
            self._mark_current(current)
        self._fill_changes()

    @Slot()
    def _realign(self) -> None:
        """The panes changed width, so the text rewrapped: pad again, keeping the top row in view."""
        if self.comparison is None:
            return
        pane = self.left_pane
        row = pane.row_at_top()
        into = pane.verticalScrollBar().value() - pane.row_top(row)
        align(self.left_pane, self.right_pane)
        pane.verticalScrollBar().setValue(round(pane.row_top(row) + into))
        self._sync_scroll(self.right_pane, pane.verticalScrollBar().value())

    def _side_text(self, side: str) -> str:
        role = "Left (original)" if side == LEFT else "Right (revised)"
        path = self.left_path if side == LEFT else self.right_path
        draft = None if self._drafts is None else self._drafts[0 if side == LEFT else 1]
        name = draft.name if draft is not None else (path.name if path is not None else "—")
        facts = []
        if draft is not None and draft.modified is not None:
            facts.append(f"modified {draft.modified:%d %b %Y %H:%M}")
        if draft is not None and draft.sha256:
            facts.append(f"sha {draft.sha256[:12]}")
        return f"{role}: {name}" + (" — " + ", ".join(facts) if facts else "")

    def _update_header(self) -> None:
        if self.left_path is None and self._drafts is None:
            return
        self.header.setText(f"{self._side_text(LEFT)}   →   {self._side_text(RIGHT)}")
        tips = [str(p) for p in (self.left_path, self.right_path) if p is not None]
        if self._drafts is not None:   # what reading the files could not keep (tables flattened, ...)
            tips += [f"{d.name}: {note}" for d in self._drafts for note in d.notes]
        self.header.setToolTip("\n".join(tips))

    def _fill_changes(self) -> None:
        self.change_list.blockSignals(True)
        self.change_list.clear()
        c = self.comparison
        if c is None:
            self.counts_label.setText("")
            self.change_list.blockSignals(False)
            return
        counts = c.counts
        self.counts_label.setText(f"{counts.changed} changed · {counts.inserted} inserted · "
                                  f"{counts.deleted} deleted · {counts.moved} moved" if counts.total
                                  else "No differences")
        pal = colours(is_dark())
        icons = {ChangeKind.CHANGED: _swatch(pal.changed_bar), ChangeKind.INSERTED: _swatch(pal.inserted_line),
                 ChangeKind.DELETED: _swatch(pal.deleted_line), ChangeKind.MOVED: _swatch(pal.moved_bar)}
        for i, change in enumerate(c.changes):
            text = change_text(c, i)
            item = QListWidgetItem(icons[change.kind], f"{change_title(c, i)}\n{text}")
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setToolTip(text)
            self.change_list.addItem(item)
        self.change_list.blockSignals(False)
        self._apply_filter()

    def _kind_filter(self) -> ChangeKind | None:
        return FILTERS[max(0, self.filter_box.currentIndex())][1]

    def _visible(self) -> list[int]:
        if self.comparison is None:
            return []
        kind = self._kind_filter()
        return [i for i, c in enumerate(self.comparison.changes) if kind is None or c.kind is kind]

    @Slot()
    def _apply_filter(self) -> None:
        shown = set(self._visible())
        for n in range(self.change_list.count()):
            item = self.change_list.item(n)
            item.setHidden(item.data(Qt.ItemDataRole.UserRole) not in shown)

    def _update_actions(self) -> None:
        has = self.comparison is not None
        for a in (self.export_html_action, self.export_redline_action):
            a.setEnabled(has)
        has_changes = has and bool(self.comparison.changes)   # type: ignore[union-attr]
        self.next_action.setEnabled(has_changes)
        self.prev_action.setEnabled(has_changes)
        files = self.left_path is not None and self.right_path is not None
        self.swap_action.setEnabled(files)
        self.swap_button.setEnabled(files)
        self.reload_action.setEnabled(files)

    # ------------------------------------------------------------------ stepping through changes
    def step(self, delta: int) -> int | None:
        """F8 / Shift+F8: the next or previous change that the filter shows, wrapping at the ends."""
        visible = self._visible()
        if not visible:
            self.statusBar().showMessage("No changes to go to", 4000)
            return None
        cur = self.current
        wrapped = False
        if cur is None:
            target = visible[0] if delta > 0 else visible[-1]
        else:
            ahead = [i for i in visible if (i > cur if delta > 0 else i < cur)]
            if ahead:
                target = ahead[0] if delta > 0 else ahead[-1]
            else:
                target = visible[0] if delta > 0 else visible[-1]
                wrapped = True
        self.go_to(target)
        if wrapped:
            self.statusBar().showMessage("Past the last change: back to the first" if delta > 0 else
                                         "Before the first change: on to the last", 5000)
        return target

    def go_to(self, index: int) -> None:
        """Make change ``index`` current: highlight its rows, put the cursors there, scroll to it."""
        c = self.comparison
        if c is None or not 0 <= index < len(c.changes):
            return
        left_row, right_row = self._mark_current(index)
        rows = c.changes[index].rows
        if self.lock_action.isChecked():   # a move's two halves are often near: the first of them on top
            self.left_pane.scroll_to_row(min(rows))
            self._sync_scroll(self.right_pane, self.left_pane.verticalScrollBar().value())
        else:   # each side shows its own half of a move
            self.left_pane.scroll_to_row(left_row)
            self.right_pane.scroll_to_row(right_row)
        self.change_list.blockSignals(True)
        self.change_list.setCurrentRow(index)
        self.change_list.blockSignals(False)
        position = self._visible().index(index) + 1 if index in self._visible() else index + 1
        self.statusBar().showMessage(f"Change {position} of {len(self._visible()) or len(c.changes)}: "
                                     f"{change_title(c, index)}", 8000)

    def _mark_current(self, index: int) -> tuple[int, int]:
        assert self.comparison is not None
        c = self.comparison
        self.current = index
        rows = c.changes[index].rows
        left_row = next((r for r in rows if c.rows[r].left is not None), rows[0])
        right_row = next((r for r in rows if c.rows[r].right is not None), rows[-1])
        for pane, row in ((self.left_pane, left_row), (self.right_pane, right_row)):
            pane.set_current(tuple(rows))
            pane.put_cursor(row)
        return left_row, right_row

    @Slot(QListWidgetItem, QListWidgetItem)
    def _list_clicked(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.go_to(int(item.data(Qt.ItemDataRole.UserRole)))

    # ------------------------------------------------------------------ scrolling
    def _sync_scroll(self, other: ComparePane, value: int) -> None:
        """Locked: the other pane follows; equal values show the same rows, the padding sees to that."""
        if self._syncing or not self.lock_action.isChecked():
            return
        self._syncing = True
        try:
            other.verticalScrollBar().setValue(value)
        finally:
            self._syncing = False

    def _lock_changed(self) -> None:
        if self.lock_action.isChecked():
            self._sync_scroll(self.right_pane, self.left_pane.verticalScrollBar().value())

    # ------------------------------------------------------------------ files changing on disk
    def _watch(self) -> None:
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        paths = [str(p) for p in (self.left_path, self.right_path) if p is not None and p.is_file()]
        if paths:
            self.watcher.addPaths(sorted(set(paths)))

    @Slot(str)
    def _file_changed(self, name: str) -> None:
        path = Path(name)
        for side, mine in ((LEFT, self.left_path), (RIGHT, self.right_path)):
            if mine is not None and str(mine) == name:
                self.stale.add(side)
        if path.is_file() and name not in self.watcher.files():
            self.watcher.addPath(name)   # saved by replacing the file: watch the new one
        self._update_stale()

    def _update_stale(self) -> None:
        if not self.stale:
            self.stale_label.hide()
            self.reload_button.hide()
            return
        sides = " and ".join(s.capitalize() for s in (LEFT, RIGHT) if s in self.stale)
        plural = "files" if len(self.stale) > 1 else "file"
        gone = [p for s, p in ((LEFT, self.left_path), (RIGHT, self.right_path))
                if s in self.stale and p is not None and not p.exists()]
        what = "changed on disk" if not gone else "changed or went away on disk"
        self.stale_label.setText(f"⚠ {sides} {plural} {what} —")
        self.stale_label.show()
        self.reload_button.show()
        self.statusBar().showMessage(f"{sides} {plural} {what} — Reload (F5) to compare again")

    # ------------------------------------------------------------------ exports
    def _default_name(self, suffix: str) -> str:
        if self.left_path is None or self.right_path is None:
            return ""
        stem = lambda p: p.name.split(".")[0]  # noqa: E731 - "draft.decision.json" -> "draft"
        return str(self.right_path.parent / f"{stem(self.left_path)}-vs-{stem(self.right_path)}{suffix}")

    def export_html_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export HTML report", self._default_name(".html"),
                                              "Web page (*.html)")
        if name:
            self.export_html_to(Path(name) if Path(name).suffix else Path(name).with_suffix(".html"))

    def export_redline_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export Word redline", self._default_name("-redline.docx"),
                                              "Word document (*.docx)")
        if name:
            self.export_redline_to(Path(name) if Path(name).suffix else Path(name).with_suffix(".docx"))

    def export_html_to(self, path: Path | str) -> int | None:
        """Write the HTML report on the worker thread; ``exported`` says when it is there."""
        return self._export(Path(path), "html")

    def export_redline_to(self, path: Path | str) -> int | None:
        """Write the Word redline (tracked changes) on the worker thread."""
        return self._export(Path(path), "redline")

    def _export(self, path: Path, kind: str) -> int | None:
        comparison = self.comparison
        if comparison is None:
            self.error("Nothing to export", "Compare two drafts first.")
            return None

        def run() -> Path:
            try:
                if kind == "html":
                    from desk_app.core.compare.html_report import export_html

                    export_html(comparison, path)
                else:
                    from desk_app.core.compare.redline import export_redline

                    export_redline(comparison, path)
            except DeskError:
                raise
            except ImportError:
                raise OutputError("this export is not available in this version", path) from None
            except Exception as exc:  # noqa: BLE001
                raise OutputError(f"could not be written ({type(exc).__name__}: {exc})", path) from None
            return path

        job = self._next_job()
        self._exports[job] = path
        self.statusBar().showMessage(f"Exporting {path.name}…")
        self._submit.emit(job, run, False)
        return job

    # ------------------------------------------------------------------ Qt events
    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.render_timer.start(0)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.align_timer.stop()
        self.render_timer.stop()
        self._stop_worker()
        event.accept()

    @Slot()
    def _stop_worker(self) -> None:
        """Let the job in hand finish, then end the thread: Qt aborts if a running QThread is destroyed."""
        self.tasks.stop()


def run_compare(left: Path | str, right: Path | str, options: CompareOptions | None = None,
                theme: str | None = None) -> int:
    """``desk-app compare A B --view``: the compare window on its own, until it is closed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Decision Desk")
        app.setOrganizationName("Decision Desk")
    apply_theme(app, theme or str(settings().value("theme", "system")))
    window = CompareWindow(Path(left), Path(right), options)
    window.show()
    return app.exec()
