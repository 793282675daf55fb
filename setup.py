"""Packaging beyond what pyproject.toml can say: `resources/` (fonts, translations, phrasebook,
questionnaire, templates) and the user guide stay at the top of the repository, and are mapped
into the package at build time as `desktop_crm/resources` and `desktop_crm/docs`, so an installed
wheel carries them (`core/paths.py` finds them in a checkout, a wheel and a frozen app)."""

from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).parent
DATA = {"desktop_crm.docs": ["user-guide.md"]}
for folder in [HERE / "resources", *sorted(p for p in (HERE / "resources").rglob("*") if p.is_dir())]:
    DATA[".".join(("desktop_crm", *folder.relative_to(HERE).parts))] = ["*"]

setup(
    packages=[*find_namespace_packages(include=["desktop_crm", "desktop_crm.*"], exclude=["*.__pycache__"]), *DATA],
    package_dir={"desktop_crm.resources": "resources", "desktop_crm.docs": "docs"},
    package_data={
        "desktop_crm": ["core/migrations/*.py", "core/migrations/versions/*.py", "core/migrations/script.py.mako"],
        **DATA,
    },
)
