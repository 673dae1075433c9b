"""Compiles the gettext catalogs (``plugin/locale/<language>/LC_MESSAGES/kring.po`` to ``.mo``) whenever Kring
is built or installed, editable installs included; everything else is in ``pyproject.toml``."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path(__file__).resolve().parent / "plugin" / "locale"


class BuildWithCatalogs(build_py):
    """``build_py`` that compiles each language's catalog first, so the package data holds the ``.mo``."""

    def run(self) -> None:
        for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
