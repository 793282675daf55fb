"""Enumeration keys of DOMAIN §9 with their labels and the Chinese words importers accept.

Keys are what files, the command line and JSON use. `label()` gives the translated
label for the GUI; `parse()` accepts a key, a Chinese label or a known variant.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_crm.core.i18n import N_, gettext


@dataclass(frozen=True)
class Enum:
    name: str
    # key -> English label (translated through the catalog)
    labels: dict[str, str]
    # extra accepted spellings (Chinese labels and variants) -> key
    aliases: dict[str, str]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, key: str | None) -> str:
        if key is None or key == "":
            return ""
        return gettext(self.labels.get(key, key))

    def parse(self, value: object) -> str:
        """Return the key for `value`; raise ValueError naming the accepted keys."""
        text = str(value or "").strip()
        if text in self.labels:
            return text
        low = text.lower().replace(" ", "_").replace("-", "_")
        if low in self.labels:
            return low
        if text in self.aliases:
            return self.aliases[text]
        for key, english in self.labels.items():
            if english.lower() == text.lower():
                return key
        raise ValueError(f"'{text}' is not one of: {', '.join(self.keys)}")


def _enum(name: str, spec: list[tuple[str, str, str]]) -> Enum:
    labels: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for key, english, chinese in spec:
        labels[key] = english
        for word in chinese.split("|"):
            if word:
                aliases[word] = key
    return Enum(name, labels, aliases)


ROLE = _enum("role", [
    ("admin", N_("Administrator"), "系统管理员|管理员"),
    ("manager", N_("Manager"), "经理|总监"),
    ("supervisor", N_("Supervisor"), "主管"),
    ("staff", N_("Staff"), "专员|业务员|员工"),
    ("viewer", N_("Viewer"), "只读"),
])
CUSTOMER_KIND = _enum("customer kind", [
    ("individual", N_("Individual"), "个人"),
    ("enterprise", N_("Enterprise"), "企业|公司"),
])
CUSTOMER_STATUS = _enum("customer status", [
    ("potential", N_("Potential"), "潜在客户|潜在"),
    ("target", N_("Target"), "目标客户|意向客户|目标|意向"),
    ("active", N_("Active"), "现实客户|成交客户|现实|成交|活跃"),
    ("lost", N_("Lost"), "流失客户|流失"),
    ("invalid", N_("Invalid"), "非客户|无效|无效客户"),
])
GRADE = _enum("grade", [
    ("key_important", N_("Key (important)"), "重要客户|重要"),
    ("key_secondary", N_("Key (secondary)"), "次要客户|次要"),
    ("ordinary", N_("Ordinary"), "普通客户|普通"),
    ("small", N_("Small"), "小客户"),
])
LOYALTY = _enum("loyalty stage", [
    ("potential", N_("Potential"), "潜在|潜在客户"),
    ("new", N_("New"), "新客户|新"),
    ("regular", N_("Regular"), "经常客户|经常"),
    ("old", N_("Old"), "老客户|老"),
    ("loyal", N_("Loyal"), "忠诚客户|忠诚"),
])
CREDIT_RATING = _enum("credit rating", [
    ("A", "A", "甲"), ("B", "B", "乙"), ("C", "C", "丙"), ("D", "D", "丁"),
])
SOURCE = _enum("source", [
    ("door_to_door", N_("Door-to-door"), "逐户访问"),
    ("exhibition", N_("Meeting / exhibition"), "会议/展会|会议|展会"),
    ("club", N_("Club"), "俱乐部"),
    ("relatives", N_("Friends & relatives"), "亲朋|亲朋好友"),
    ("directory", N_("Directory / data"), "资料查询"),
    ("consultant", N_("Consultant"), "咨询"),
    ("agent", N_("Agent"), "委托助手"),
    ("referral", N_("Referral"), "介绍"),
    ("phone", N_("Phone"), "电话"),
    ("letter", N_("Letter"), "信函"),
    ("sms", N_("SMS"), "短信"),
    ("web", N_("Web"), "网络"),
    ("competitor", N_("Won from competitor"), "抢夺对手"),
    ("other", N_("Other"), "其他"),
])
INTERACTION_CHANNEL = _enum("interaction channel", [
    ("phone", N_("Phone"), "电话"),
    ("visit", N_("Visit"), "拜访|上门"),
    ("email", N_("Email"), "邮件|电子邮件"),
    ("wechat", N_("WeChat"), "微信"),
    ("sms", N_("SMS"), "短信"),
    ("meeting", N_("Meeting"), "会议"),
    ("letter", N_("Letter"), "信函"),
    ("other", N_("Other"), "其他"),
])
INTERACTION_KIND = _enum("interaction kind", [
    ("follow_up", N_("Follow-up"), "跟进"),
    ("return_visit", N_("Return visit"), "回访"),
    ("care", N_("Care"), "关怀"),
    ("sales_visit", N_("Sales visit"), "销售拜访"),
    ("complaint_follow_up", N_("Complaint follow-up"), "投诉跟进"),
])
VISIT_FEEDBACK = _enum("visit feedback tag", [
    ("need", N_("Need"), "需求"),
    ("intent", N_("Intent"), "意向"),
    ("complaint", N_("Complaint"), "投诉"),
    ("grievance", N_("Grievance"), "抱怨"),
])
VISIT_PURPOSE = _enum("visit purpose", [
    ("new_customer", N_("New-customer visit"), "新客户回访"),
    ("old_customer", N_("Old-customer visit"), "老客户回访"),
    ("after_sales", N_("After-sales"), "售后|售后回访"),
    ("after_complaint", N_("After-complaint"), "投诉回访"),
])
COMPLAINT_CHANNEL = _enum("complaint channel", [
    ("hotline", N_("Hotline"), "热线"),
    ("phone", N_("Phone"), "电话"),
    ("email", N_("Email"), "邮件|电子邮件"),
    ("web", N_("Web"), "网络|网站"),
    ("letter", N_("Letter"), "信函"),
    ("visit", N_("Visit"), "来访|上门"),
    ("wechat", N_("WeChat"), "微信"),
])
COMPLAINT_CATEGORY = _enum("complaint category", [
    ("quality", N_("Product/service quality"), "质量"),
    ("attitude", N_("Service attitude"), "服务态度|态度"),
    ("delay", N_("Delivery delay"), "延误"),
    ("damage", N_("Damage / loss"), "破损/丢失|破损|丢失"),
    ("billing", N_("Billing / price"), "费用|价格"),
    ("misleading", N_("Misleading"), "受骗上当|欺骗"),
    ("other", N_("Other"), "其他"),
])
COMPLAINT_SEVERITY = _enum("complaint severity", [
    ("normal", N_("Normal"), "一般"),
    ("major", N_("Major"), "重大"),
    ("critical", N_("Critical"), "紧急"),
])
COMPLAINT_STATE = _enum("complaint state", [
    ("registered", N_("Registered"), "已登记|登记"),
    ("accepted", N_("Accepted"), "已受理|受理|成立"),
    ("rejected", N_("Rejected"), "不成立|驳回"),
    ("processing", N_("Processing"), "处理中|重新处理"),
    ("resolved", N_("Resolved"), "已解决|待回访|解决"),
    ("closed", N_("Closed"), "已结案|结案"),
])
ROOT_CAUSE = _enum("root cause", [
    ("carrier", N_("Carrier"), "承运人"),
    ("facilities", N_("Facilities / equipment"), "硬件设施|设施"),
    ("staff", N_("Personnel"), "人员"),
    ("process", N_("Process"), "流程"),
    ("customer", N_("Customer side"), "客户自身|客户"),
    ("force_majeure", N_("Force majeure"), "不可抗力"),
    ("other", N_("Other"), "其他"),
])
OPPORTUNITY_STAGE = _enum("opportunity stage", [
    ("lead", N_("Lead"), "线索"),
    ("contacted", N_("Contacted"), "初步接触"),
    ("qualified", N_("Qualified"), "需求确认"),
    ("proposal", N_("Proposal"), "方案报价"),
    ("negotiation", N_("Negotiation"), "谈判"),
    ("won", N_("Won deal"), "赢单"),
    ("lost", N_("Lost deal"), "输单"),
])
GENDER = _enum("gender", [
    ("male", N_("Male"), "男"),
    ("female", N_("Female"), "女"),
])
CONTRACT_STATUS = _enum("contract status", [
    ("draft", N_("Draft"), "草稿"),
    ("active", N_("In force"), "生效|执行中"),
    ("ended", N_("Ended"), "到期|结束"),
    ("terminated", N_("Terminated"), "终止"),
])
TASK_KIND = _enum("task kind", [
    ("call", N_("Call"), "电话"),
    ("visit", N_("Visit"), "拜访|上门"),
    ("meeting", N_("Meeting"), "会议"),
    ("email", N_("E-mail"), "邮件"),
    ("other", N_("Other"), "其他"),
])
TASK_STATUS = _enum("task status", [
    ("open", N_("To do"), "未完成|待办|待完成"),
    ("done", N_("Done"), "已完成|完成"),
    ("cancelled", N_("Cancelled"), "已取消|取消"),
])
TASK_PRIORITY = _enum("priority", [
    ("low", N_("Low"), "低"),
    ("normal", N_("Normal"), "普通|中"),
    ("high", N_("High"), "高|紧急"),
])
REPEAT = _enum("repeat", [
    ("daily", N_("Daily"), "每天"),
    ("weekly", N_("Weekly"), "每周"),
    ("monthly", N_("Monthly"), "每月"),
])
POOL_CONDITION = _enum("pool rule condition", [
    ("no_follow_up", N_("No follow-up"), "未跟进|无跟进"),
    ("no_order", N_("No order"), "未下单|无订单"),
    ("no_opportunity", N_("No new opportunity"), "无新商机"),
])
LEAD_STATUS = _enum("lead status", [
    ("new", N_("New lead"), "新线索|新建"),
    ("contacted", N_("Reached"), "已联系"),
    ("qualified", N_("Qualified lead"), "已确认|合格"),
    ("disqualified", N_("Disqualified"), "无效|不合格"),
    ("converted", N_("Converted"), "已转化|已转客户"),
])
