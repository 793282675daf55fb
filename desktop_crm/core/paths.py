"""Where the app finds its bundled resources and keeps its per-user files."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "DesktopCRM"
APP_AUTHOR = "DesktopCRM"


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout, in `_MEIPASS` when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


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
