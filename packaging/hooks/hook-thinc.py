"""thinc: its data files and every submodule except its test suite (which needs pytest and
is never imported at run time). Takes precedence over the contrib hook, which has the tests."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("thinc", excludes=["tests/**"])
hiddenimports = collect_submodules("thinc", filter=lambda name: not name.startswith("thinc.tests"))
