"""The customer and contact fields: one declaration used by forms, validation, lists,
filters, import and export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop_crm.core import enums
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.rules import validation as v


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str  # English source; translate with _() when shown
    kind: str  # text | longtext | enum | date | money | int | phone | email | credit_code | resident_id | tags | user | bool
    group: str = "basic"  # basic | enterprise | individual | region | more
    enum: enums.Enum | None = None
    max_len: int = 200
    zh: str = ""  # the Chinese header importers accept
    list_column: bool = True

    @property
    def title(self) -> str:
        return _(self.label)


CUSTOMER_FIELDS: list[FieldDef] = [
    FieldDef("code", N_("Code"), "text", max_len=32, zh="客户编号"),
    FieldDef("name", N_("Name"), "text", zh="客户名称"),
    FieldDef("kind", N_("Kind"), "enum", enum=enums.CUSTOMER_KIND, zh="类型"),
    FieldDef("status", N_("Status"), "enum", enum=enums.CUSTOMER_STATUS, zh="状态"),
    FieldDef("grade", N_("Grade"), "enum", enum=enums.GRADE, zh="客户等级"),
    FieldDef("loyalty", N_("Loyalty"), "enum", enum=enums.LOYALTY, zh="忠诚度"),
    FieldDef("credit_rating", N_("Credit rating"), "enum", enum=enums.CREDIT_RATING, zh="信用等级"),
    FieldDef("source", N_("Source"), "enum", enum=enums.SOURCE, zh="来源"),
    FieldDef("industry", N_("Industry"), "text", max_len=64, zh="行业"),
    FieldDef("owner", N_("Owner"), "user", zh="负责人"),
    FieldDef("phone", N_("Phone"), "phone", zh="电话"),
    FieldDef("mobile", N_("Mobile"), "phone", zh="手机"),
    FieldDef("email", N_("Email"), "email", zh="邮箱"),
    FieldDef("website", N_("Website"), "text", group="more", zh="网址"),
    FieldDef("province", N_("Province"), "text", group="region", max_len=32, zh="省份"),
    FieldDef("city", N_("City"), "text", group="region", max_len=64, zh="城市"),
    FieldDef("district", N_("District"), "text", group="region", max_len=64, zh="区县"),
    FieldDef("address", N_("Address"), "text", group="region", max_len=300, zh="地址"),
    FieldDef("postal_code", N_("Postal code"), "text", group="region", max_len=12, zh="邮编"),
    FieldDef("credit_code", N_("Unified social credit code"), "credit_code", group="enterprise", zh="统一社会信用代码"),
    FieldDef("legal_rep", N_("Legal representative"), "text", group="enterprise", max_len=64, zh="法人代表"),
    FieldDef("registered_capital", N_("Registered capital"), "money", group="enterprise", zh="注册资本"),
    FieldDef("staff_size", N_("Staff size"), "int", group="enterprise", zh="员工人数"),
    FieldDef("business_scope", N_("Business scope"), "longtext", group="enterprise", max_len=2000, zh="经营范围"),
    FieldDef("bank", N_("Bank"), "text", group="enterprise", max_len=100, zh="开户银行"),
    FieldDef("bank_account", N_("Bank account"), "text", group="enterprise", max_len=64, zh="银行账号"),
    FieldDef("tax_no", N_("Tax number"), "text", group="enterprise", max_len=32, zh="税号"),
    FieldDef("gender", N_("Gender"), "enum", group="individual", enum=enums.GENDER, zh="性别"),
    FieldDef("birthday", N_("Birthday"), "date", group="individual", zh="生日"),
    FieldDef("resident_id", N_("Resident ID"), "resident_id", group="individual", zh="身份证号"),
    FieldDef("occupation", N_("Occupation"), "text", group="individual", max_len=64, zh="职业"),
    FieldDef("employer", N_("Employer"), "text", group="individual", zh="工作单位"),
    FieldDef("education", N_("Education"), "text", group="individual", max_len=64, zh="学历"),
    FieldDef("family", N_("Family"), "longtext", group="individual", max_len=2000, zh="家庭情况"),
    FieldDef("hobbies", N_("Hobbies"), "longtext", group="individual", max_len=2000, zh="爱好"),
    FieldDef("needs", N_("Needs"), "longtext", group="more", max_len=4000, zh="需求"),
    FieldDef("notes", N_("Notes"), "longtext", group="more", max_len=4000, zh="备注"),
    FieldDef("tags", N_("Tags"), "tags", group="more", max_len=400, zh="标签"),
    FieldDef("created_at", N_("Created"), "datetime", group="meta", zh="创建时间"),
    FieldDef("updated_at", N_("Updated"), "datetime", group="meta", zh="更新时间"),
    FieldDef("last_contact_at", N_("Last contact"), "datetime", group="meta", zh="最近联系"),
]
CUSTOMER_FIELD = {f.key: f for f in CUSTOMER_FIELDS}
# Fields a user edits directly (the rest are assigned or computed).
EDITABLE = [f.key for f in CUSTOMER_FIELDS
            if f.key not in ("code", "status", "grade", "loyalty", "owner", "created_at", "updated_at",
                             "last_contact_at")]

CONTACT_FIELDS: list[FieldDef] = [
    FieldDef("name", N_("Name"), "text", max_len=100, zh="姓名"),
    FieldDef("title", N_("Title"), "text", max_len=64, zh="职务"),
    FieldDef("department", N_("Department"), "text", max_len=64, zh="部门"),
    FieldDef("mobile", N_("Mobile"), "phone", zh="手机"),
    FieldDef("phone", N_("Phone"), "phone", zh="电话"),
    FieldDef("email", N_("Email"), "email", zh="邮箱"),
    FieldDef("wechat", N_("WeChat"), "text", max_len=64, zh="微信"),
    FieldDef("birthday", N_("Birthday"), "date", zh="生日"),
    FieldDef("is_primary", N_("Primary contact"), "bool", zh="主联系人"),
    FieldDef("is_decision_maker", N_("Decision maker"), "bool", zh="决策人"),
    FieldDef("notes", N_("Notes"), "longtext", max_len=2000, zh="备注"),
]
CONTACT_FIELD = {f.key: f for f in CONTACT_FIELDS}

TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "x", "主", "on"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "", "off"}


def clean_value(f: FieldDef, raw: object, *, today: date | None = None) -> tuple[object, str | None]:
    """Clean one value. Returns (value, warning); raises ValueError with a translated message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if f.kind == "bool":
        text = str(raw).strip().lower()
        if isinstance(raw, bool):
            return raw, None
        if text in TRUE_WORDS:
            return True, None
        if text in FALSE_WORDS:
            return False, None
        raise ValueError(_("is not yes or no"))
    if f.kind == "enum":
        assert f.enum is not None
        try:
            return f.enum.parse(raw), None
        except ValueError:
            raise ValueError(_("'{value}' is not one of: {keys}").format(
                value=raw, keys=", ".join(f.enum.keys))) from None
    if f.kind in ("date",):
        d = v.parse_date(raw)
        if f.key == "birthday" and d > (today or date.today()):
            raise ValueError(_("cannot be in the future"))
        return d, None
    if f.kind == "datetime":
        return v.parse_datetime(raw), None
    if f.kind == "money":
        return v.parse_decimal(raw), None
    if f.kind == "int":
        d = v.parse_decimal(raw)
        if d != d.to_integral_value() or d < 0:
            raise ValueError(_("must be a whole number"))
        return int(d), None
    text = v.strip_control(str(raw), multiline=f.kind == "longtext").strip()
    if len(text) > f.max_len:
        raise ValueError(_("is longer than {n} characters").format(n=f.max_len))
    if f.kind == "phone":
        return v.normalize_phone(text), None
    if f.kind == "email":
        return v.validate_email(text), None
    if f.kind == "credit_code":
        code = text.upper()
        if len(code) != 18:
            raise ValueError(_("must be 18 characters"))
        warning = None if v.check_uscc(code) else _("check digit does not match (saved anyway)")
        return code, warning
    if f.kind == "resident_id":
        rid = text.upper()
        if not v.check_resident_id(rid):
            raise ValueError(_("is not a valid resident ID (check digit or birth date)"))
        return rid, None
    if f.kind == "tags":
        tags = [t.strip() for t in text.replace("，", ",").replace(";", ",").split(",") if t.strip()]
        return ("," + ",".join(dict.fromkeys(tags)) + ",") if tags else None, None
    return text, None


def clean(fields: dict[str, FieldDef], data: dict[str, object]) -> tuple[dict[str, object], dict[str, str],
                                                                        dict[str, str]]:
    """Clean every given field. Returns (values, errors by field, warnings by field)."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    for key, raw in data.items():
        f = fields.get(key)
        if f is None:
            errors[key] = _("unknown field")
            continue
        try:
            value, warning = clean_value(f, raw)
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        values[key] = value
        if warning:
            warnings[key] = warning
    return values, errors, warnings


def display(f: FieldDef, value: object) -> str:
    """The value as the GUI shows it (translated enum labels, tags without the fences)."""
    if value is None:
        return ""
    if f.enum is not None:
        return f.enum.label(str(value))
    if f.kind == "tags":
        return str(value).strip(",").replace(",", ", ")
    if f.kind == "bool":
        return _("Yes") if value else _("No")
    if f.kind == "money":
        from desktop_crm.core.reporting.formatting import money_text

        return money_text(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def field_label(key: str) -> str:
    f = CUSTOMER_FIELD.get(key)
    return _(f.label) if f else key
