"""The package build: besides the code, a wheel carries what the app reads at run time.

The checkout keeps templates/, static/, migrations/ and translations/ at its top level; the
build copies the first three into the built package as ``webapp/_data/<name>/`` and compiles
each translations/<lang>/LC_MESSAGES/messages.po into ``webapp/_data/translations/``
(messages.mo only: the .po files stay in the checkout). ``webapp.config.resource_dir`` finds
them there once installed. Everything else is in setup.cfg.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
COPIED = ("templates", "static", "migrations")


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's own folders
            return
        data = Path(self.build_lib) / "webapp" / "_data"
        for name in COPIED:
            shutil.rmtree(data / name, ignore_errors=True)
            shutil.copytree(
                HERE / name, data / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        compile_catalogs(HERE / "translations", data / "translations")


def compile_catalogs(source: Path, target: Path) -> None:
    """What ``pybabel compile`` does: each language's messages.po to messages.mo, fuzzy
    entries left out; a catalog whose header is fuzzy stops the build."""
    shutil.rmtree(target, ignore_errors=True)
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        language = po.parent.parent.name
        with po.open("rb") as file:
            catalog = read_po(file, locale=language)
        if catalog.fuzzy:
            raise SystemExit(f"{po} is marked fuzzy: translate it, then build again")
        mo = target / language / "LC_MESSAGES" / "messages.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as file:
            write_mo(file, catalog)


setup(cmdclass={"build_py": BuildPyWithResources})
