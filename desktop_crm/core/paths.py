"""Where the app finds its bundled resources and keeps its per-user files."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "DesktopCRM"
APP_AUTHOR = "DesktopCRM"


def _bundled(name: str) -> Path:
    """A folder shipped with the app: in `_MEIPASS` when frozen (PyInstaller), inside the package
    when installed from a wheel (setup.py maps it there), at the top of the repository in a
    checkout (also an editable install)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / name
    package = Path(__file__).resolve().parents[1]
    inside = package / name
    return inside if inside.is_dir() else package.parent / name


def resources_dir() -> Path:
    """The `resources/` folder: fonts, translations, phrasebook, questionnaire, import templates."""
    return _bundled("resources")


def user_guide() -> Path:
    return _bundled("docs") / "user-guide.md"


def user_data_dir() -> Path:
    import platformdirs

    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    import platformdirs

    path = Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cjk_font_path() -> Path:
    return resources_dir() / "fonts" / "DroidSansFallbackFull.ttf"
