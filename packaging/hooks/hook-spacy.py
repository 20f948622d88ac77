"""spaCy: its data files and every submodule except its test suite and the other languages.

spaCy registers pipeline factories and architectures as its modules are imported, and
imports many of them by name, so its submodules are collected (as the stock contrib hook
does), with two exceptions that are never imported at run time: ``spacy.tests`` (it needs
pytest) and the 70-odd languages other than English (a language is only imported when a
pipeline of that language is loaded, and the bundle carries one English model). Six stay
besides English, because spaCy imports them whatever the model: ``xx`` (``spacy.training``)
and ``ja``, ``ko``, ``th``, ``vi``, ``zh``, whose tokenizer factories ``spacy.registrations``
registers at start-up (their external tokenizers are imported only when used). The Cython
sources and stubs (.pyx, .pxd, .pyi) are not data either. This hook takes precedence over the
contrib one.
"""

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, get_package_paths

KEEP_LANGUAGES = {"en", "xx", "ja", "ko", "th", "vi", "zh"}
SOURCES = ["**/*.pyx", "**/*.pxd", "**/*.pyi", "**/*.c", "**/*.cpp", "**/*.h"]

_, _spacy_dir = get_package_paths("spacy")
LANGUAGES = {p.name for p in (Path(_spacy_dir) / "lang").iterdir() if (p / "__init__.py").is_file()}


def _wanted(name: str) -> bool:
    parts = name.split(".")
    if parts[1:2] == ["tests"]:
        return False
    if parts[1:2] == ["lang"] and len(parts) > 2 and parts[2] in LANGUAGES:
        return parts[2] in KEEP_LANGUAGES
    return True


datas = collect_data_files("spacy", excludes=["tests/**", *SOURCES,
                                              *(f"lang/{code}/**" for code in LANGUAGES - KEEP_LANGUAGES)])
hiddenimports = collect_submodules("spacy", filter=_wanted)
excludedimports = [f"spacy.lang.{code}" for code in sorted(LANGUAGES - KEEP_LANGUAGES)]
