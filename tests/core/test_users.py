from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from desktop_crm.core import security
from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.models import User
from desktop_crm.core.services import customers, users
from desktop_crm.core.services.users import LoginError
from tests.conftest import PASSWORD


def test_owasp_parameters_are_the_default():
    assert security.OWASP == security.ScryptParams(n=2**17, r=8, p=1)


def test_password_is_hashed_not_stored(db, admin):
    with db.read() as s:
        stored = s.scalars(select(User.password_hash).where(User.username == "admin")).one()
    assert PASSWORD not in stored
    assert stored.startswith("scrypt$")
    assert security.verify_password(PASSWORD, stored)
    assert not security.verify_password("wrong-password", stored)


def test_short_password_refused(admin):
    with pytest.raises(ValidationError) as e:
        users.create_user(admin, "bob", "staff", "short")
    assert "password" in e.value.errors


def test_lockout_after_failures(db, admin):
    users.create_user(admin, "bob", "staff", PASSWORD)
    for _ in range(5):
        with pytest.raises(LoginError):
            users.authenticate(db, "bob", "bad-password")
    with pytest.raises(LoginError, match="Too many failed logins"):
        users.authenticate(db, "bob", PASSWORD)
    with db.write() as s:
        u = s.scalars(select(User).where(User.username == "bob")).one()
        u.locked_until = datetime.now() - timedelta(seconds=1)
    assert users.authenticate(db, "bob", PASSWORD).username == "bob"


def test_rehash_on_login_when_parameters_rise(db, admin):
    old = security.current_params()
    with db.read() as s:
        before = s.scalars(select(User.password_hash).where(User.username == "admin")).one()
    security.set_params(security.ScryptParams(n=old.n * 2, r=8, p=1))
    try:
        users.authenticate(db, "admin", PASSWORD)
    finally:
        security.set_params(old)
    with db.read() as s:
        after = s.scalars(select(User.password_hash).where(User.username == "admin")).one()
    assert after != before and after.split("$")[1] == str(old.n * 2)


def test_only_admin_manages_users(team):
    with pytest.raises(PermissionDenied):
        users.create_user(team["manager"], "eve", "staff", PASSWORD)


def test_deactivate_requires_handover_then_moves_customers(db, team):
    rep1 = team["rep1"]
    c = customers.create_customer(rep1, {"name": "甲公司"})
    rep1_id = rep1.actor.id
    with pytest.raises(ValidationError, match="still owns 1 customers"):
        users.deactivate_user(team["admin"], rep1_id)
    moved = users.deactivate_user(team["admin"], rep1_id, handover_to=team["rep2"].actor.id)
    assert moved == 1
    assert customers.get_customer(team["rep2"], c.id).owner_id == team["rep2"].actor.id
    with pytest.raises(LoginError, match="deactivated"):
        users.authenticate(db, "rep1", PASSWORD)


def test_last_admin_protected(admin):
    with pytest.raises(ValidationError):
        users.update_user(admin, admin.actor.id, role="staff")


def test_work_is_given_to_oneself_the_department_or_anyone_by_role(team):  # noqa: ANN001
    def names(who: str) -> set[str]:
        return {u.username for u in users.assignable(team[who])}

    working = {"admin", "manager", "sup_sales", "sup_service", "rep1", "rep2", "rep3"}  # viewers do no work
    assert names("admin") == names("manager") == working
    assert names("sup_sales") == {"sup_sales", "rep1", "rep2"}
    assert names("rep3") == {"rep3"}
    users.deactivate_user(team["admin"], team["rep2"].actor.id)
    assert names("sup_sales") == {"sup_sales", "rep1"}  # nobody gives work to someone who left
