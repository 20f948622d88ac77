"""thinc: its data files and every submodule except its test suite (which needs pytest and
is never imported at run time). Takes precedence over the contrib hook, which has the tests.

The GPU and Apple backends (``cupy_ops``, ``mps_ops``) and the PyTorch/TensorFlow/MXNet shims
stay: ``thinc.backends`` and ``thinc.api`` import them unconditionally (they are small Python
modules that find no cupy or torch and do nothing), and ``_custom_kernels`` reads its ``.cu``
file at import. Only the Cython sources and headers are left out.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("thinc", excludes=["tests/**", "**/*.pyx", "**/*.pxd", "**/*.hh", "**/*.h"])
hiddenimports = collect_submodules("thinc", filter=lambda name: not name.startswith("thinc.tests"))
