"""tldextract's bundled public-suffix snapshot (``.tld_set_snapshot``).

Decision Desk never fetches the suffix list (``desk_app.core.detect.nlp.keep_offline``); it reads
this snapshot with ``pkgutil.get_data``, so the file must be inside the bundle.
(``tests/test_frozen_build.py`` checks the dot-file is there.)
"""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = collect_data_files("tldextract") + copy_metadata("tldextract")
