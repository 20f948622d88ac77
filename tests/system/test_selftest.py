"""``desk-app --selftest`` from the source install, and the socket guard it runs under.

The selftest is what an investigator runs on a laptop nobody can reach, so these tests run
it the way they would (a new process, the console script) and check the printed format the
benchmark script relies on, that a broken installation fails with a reason, and that it
writes nothing outside a temporary folder. The guard tests prove ``DESK_APP_NO_NETWORK=1``
really refuses connections and lookups, so "network blocked" in the output means something.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desk_app.netguard import ENV, MESSAGE
from desk_app.selftest import SCAN_NAME, STEPS, parse_output
from tests.helpers.paths import REPO

REPO = REPO


def desk_app_command() -> list[str]:
    """The installed console script next to this interpreter, as a user would run it."""
    script = Path(sys.executable).with_name("desk-app")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desk_app"]


def selftest_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DESK_APP_DATA_DIR")}
    # HOME points at an empty folder: anything written to the user's profile would show up there.
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "home/.local"),
               XDG_CACHE_HOME=str(tmp_path / "home/.cache"), **extra)
    env.pop("ORT_DISABLE_TELEMETRY", None)   # desk-app must set it itself
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_selftest_passes_from_the_source_install_with_sockets_blocked(tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    resources_before = snapshot(REPO / "resources")
    proc = subprocess.run([*desk_app_command(), "--selftest"], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=selftest_env(tmp_path, **{ENV: "1"}))
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    report = parse_output(proc.stdout)
    assert [s.name for s in report.steps] == list(STEPS)
    assert all(s.passed for s in report.steps) and report.passed
    model = report.step("model loaded")
    assert model.detail.endswith("; network blocked"), model.detail
    assert "en_core_web_md 3.8.0 (ner)" in model.detail
    assert "complainant -> Mrs X, not in the output" in report.step("sample anonymised").detail
    assert "on 'offscreen'" in report.step("main window shown").detail
    assert "none found" in report.step("docx leak-scanned").detail
    scan = report.step("scan read")
    assert f"read 'Dear Ms {SCAN_NAME}," in scan.detail and scan.detail.endswith("; name found"), scan.detail
    # the launch clock starts before the window step and the total covers every step
    assert 0 < report.to_window < report.total
    assert report.total >= sum(s.seconds for s in report.steps) - 0.01
    # nothing written into the working folder, the user's profile or the resources
    assert list(cwd.iterdir()) == []
    assert [p for p in (tmp_path / "home").rglob("*") if p.is_file() and "fontconfig" not in p.parts] == []
    assert not (tmp_path / "home" / ".cache" / "Microsoft").exists()   # ONNX Runtime's telemetry queue
    assert snapshot(REPO / "resources") == resources_before


@pytest.mark.slow
def test_a_broken_installation_fails_with_a_reason_and_the_other_steps_still_run(tmp_path):
    """Resources missing (as in a bundle built without them): the sample and the docx steps
    fail, each with one line saying why; the model, the window and the OCR are still checked."""
    empty = tmp_path / "no-resources"
    empty.mkdir()
    proc = subprocess.run([*desk_app_command(), "--selftest"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, env=selftest_env(tmp_path, DESK_APP_RESOURCES=str(empty)))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = parse_output(proc.stdout)
    assert not report.passed
    status = {s.name: s.passed for s in report.steps}
    assert status == {"model loaded": True, "sample anonymised": False, "main window shown": True,
                      "docx written": False, "docx leak-scanned": False, "scan read": True}
    assert report.step("model loaded").detail.endswith("; network not blocked")
    assert "sample case is missing" in report.step("sample anonymised").detail
    assert report.step("docx written").detail == "not run: the sample was not anonymised"
    assert report.step("docx leak-scanned").detail == "not run: no .docx was written"


def test_the_output_parser_rejects_a_changed_format():
    good = "\n".join(f"ok   {name:<24} {0.5:7.3f} s  fine" for name in STEPS) + \
        "\nselftest passed in 3.00 s; launch to window shown 1.00 s\n"
    assert parse_output(good).to_window == 1.0
    with pytest.raises(ValueError, match="docx written"):
        parse_output(good.replace("docx written", "docx saved  "))
    with pytest.raises(ValueError, match="scan read"):
        parse_output(good.replace("scan read", "scan done"))
    with pytest.raises(ValueError, match="summary"):
        parse_output(good.replace("launch to window shown", "window after"))
    with pytest.raises(ValueError, match=f"expected {len(STEPS) + 1} lines"):
        parse_output(good.split("\n", 1)[1])


GUARD_PROBE = textwrap.dedent("""
    import json, os, socket, tempfile
    from desk_app import netguard

    out = {"installed": netguard.install_from_env()}

    def attempt(name, fn):
        if not out["installed"]:   # never try a real connection without the guard
            return
        try:
            fn()
            out[name] = "allowed"
        except OSError as exc:
            out[name] = str(exc)

    attempt("create_connection", lambda: socket.create_connection(("203.0.113.1", 80), timeout=2))
    attempt("connect", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("203.0.113.1", 80)))
    attempt("connect_ex", lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM).connect_ex(("2001:db8::1", 80)))
    attempt("getaddrinfo", lambda: socket.getaddrinfo("localhost", 80))
    attempt("udp_sendto", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("203.0.113.1", 53)))

    # Unix-domain sockets never leave the machine and stay usable: a listener and a client.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        server.listen(1)
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(path)
        conn, _ = server.accept()
        client.sendall(b"ping")
        out["unix_stream"] = conn.recv(4).decode()
        a, b = socket.socketpair()
        a.sendall(b"pong")
        out["unix_pair"] = b.recv(4).decode()
    print(json.dumps(out))
""")


def run_probe(tmp_path: Path, **env: str) -> dict[str, object]:
    full = {k: v for k, v in os.environ.items() if k != ENV}
    full.update(env)
    proc = subprocess.run([sys.executable, "-c", GUARD_PROBE], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, env=full)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_guard_blocks_every_kind_of_network_access_and_allows_unix_sockets(tmp_path):
    out = run_probe(tmp_path, **{ENV: "1"})
    assert out["installed"] is True
    for attempt in ("create_connection", "connect", "connect_ex", "getaddrinfo", "udp_sendto"):
        assert out[attempt] == MESSAGE == "network access blocked by DESK_APP_NO_NETWORK", attempt
    assert out["unix_stream"] == "ping" and out["unix_pair"] == "pong"


def test_without_the_variable_nothing_is_guarded(tmp_path):
    out = run_probe(tmp_path, **{ENV: "0"})
    assert out["installed"] is False
    assert out["unix_stream"] == "ping"
    import socket

    from desk_app import netguard

    assert not netguard.installed()   # and this test process was never guarded either
    assert socket.getaddrinfo.__module__ == "socket"


def test_the_cli_installs_the_guard_before_running_any_command(tmp_path):
    probe = textwrap.dedent("""
        import sys
        from desk_app import netguard
        from desk_app.cli import main as cli
        assert not netguard.installed()
        try:
            cli.main(["--version"])
        except SystemExit:
            pass
        print(netguard.installed(), "spacy" in sys.modules, "PySide6" in sys.modules)
    """)
    env = {**os.environ, ENV: "1"}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    # installed by main(), before anything heavy (spaCy, Qt) was imported
    assert proc.stdout.split()[-3:] == ["True", "False", "False"]
