"""Where the app finds its bundled resources and keeps its per-user files."""

from __future__ import annotations

import contextlib
import os
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


def private_dir(path: Path) -> Path:
    """A folder only its owner may open (the data folder, backups): created so, or made so."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        with contextlib.suppress(OSError):  # not ours (a shared folder chosen by hand): leave it
            os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty (or keep it) readable and writable only by its owner, before anything is
    written into it: databases, backups, archives, exports."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    return path


def user_data_dir() -> Path:
    import platformdirs

    return private_dir(Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)))


def user_config_dir() -> Path:
    import platformdirs

    path = Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cjk_font_path() -> Path:
    return resources_dir() / "fonts" / "DroidSansFallbackFull.ttf"
