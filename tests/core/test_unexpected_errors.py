"""An unexpected error never shows a traceback: one line naming the log file (command line), the
details in the rotating log in the user data folder."""

from __future__ import annotations

import pytest

from desktop_crm.cli import main
from desktop_crm.core import logs
from desktop_crm.core.services import users


def test_an_unexpected_error_is_one_line_with_the_log_file_and_the_details_are_logged(db_url, admin, monkeypatch,
                                                                                       capsys):
    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(users, "list_users", broken)
    status = main(["--db", db_url, "user", "list"])
    err = capsys.readouterr().err
    assert status == 70
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "RuntimeError" in err and "disk on fire" in err and "second line" not in err
    path = logs.log_path()
    assert str(path) in err and path.parent.is_relative_to(path.parent.parent)
    text = path.read_text(encoding="utf-8")
    assert "Traceback" in text and "disk on fire" in text and "in broken" in text


def test_the_message_is_in_the_users_language(db_url, admin, monkeypatch, capsys):
    monkeypatch.setattr(users, "list_users", lambda *a, **k: 1 / 0)
    assert main(["--db", db_url, "--lang", "zh_CN", "user", "list"]) == 70
    err = capsys.readouterr().err
    assert "意外错误" in err and "详情见" in err and "ZeroDivisionError" in err


def test_expected_errors_stay_one_plain_line(db_url, admin, capsys):
    assert main(["--db", db_url, "customer", "set-status", "NOPE", "active"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("desktop-crm: error:") and err.count("\n") == 1


def test_the_log_rotates(tmp_path, monkeypatch):
    import logging

    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    monkeypatch.setattr(logs, "_handler", None)
    monkeypatch.setattr(logs, "_path", None)
    monkeypatch.setattr(logs, "log_path", lambda: tmp_path / "logs" / logs.FILE_NAME)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        logs.setup()
        for k in range(100):
            logging.getLogger("desktop_crm.test").warning("line %d %s", k, "x" * 80)
        files = sorted(p.name for p in (tmp_path / "logs").iterdir())
        assert logs.FILE_NAME in files and f"{logs.FILE_NAME}.1" in files and len(files) <= logs.BACKUPS + 1
    finally:
        for h in root.handlers:
            if h not in before:
                root.removeHandler(h)
                h.close()


@pytest.mark.parametrize("args", [["--lang", "zh_CN", "--help"], ["--lang", "zh_CN", "report", "--help"]])
def test_help_is_in_chinese(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "用法" in out and "显示此帮助信息并退出" in out and "usage:" not in out
