"""Import templates: an `.xlsx` whose first sheet has the spec's columns (headers in both
languages, `客户编号 / code`) and example rows, and a help sheet that documents every
column — its English key, Chinese header, whether it is required and what it holds.

The shipped files in resources/templates/ are made by `write_template`; regenerate them with
`python -m desktop_crm.core.importing.templates resources/templates`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop_crm.core.importing.spec import ImportSpec, get_spec

EXAMPLES: dict[str, list[dict[str, object]]] = {
    "customers": [
        {"name": "深圳市示例科技有限公司", "kind": "企业", "status": "目标客户", "industry": "电气店", "source": "网络",
         "credit_rating": "A", "province": "广东", "city": "深圳", "address": "南山区科技园路 1 号",
         "phone": "0755-86000000", "mobile": "13800138000", "email": "info@example.cn",
         "needs": "年度物流外包", "created_at": "2024-03-05", "status_since": "2024-04-01"},
        {"code": "C900001", "name": "张三", "kind": "individual", "status": "active", "source": "referral",
         "province": "北京", "city": "北京", "mobile": "+86 139 0013 9000", "birthday": "1985年6月1日",
         "notes": "老客户介绍", "created_at": "2023/11/20"},
    ],
    "contacts": [
        {"customer_code": "C900001", "name": "李四", "title": "采购经理", "mobile": "13700137000",
         "email": "lisi@example.cn", "wechat": "lisi_wx", "birthday": "1990-02-03", "is_primary": "是"},
    ],
    "contracts": [
        {"number": "HT-2024-001", "customer_code": "C900001", "title": "年度物流服务合同", "signed_on": "2024-02-20",
         "start_on": "2024-03-01", "end_on": "2025-02-28", "amount": "120000.00", "status": "生效",
         "notes": "到期前一个月商谈续签"},
    ],
    "opportunities": [
        {"customer_code": "C900001", "name": "二期仓储扩容", "amount": "50000", "expected_close": "2024-09-30",
         "stage": "方案报价", "notes": "已发报价单"},
        {"customer_code": "C900001", "name": "旧设备回收", "amount": "8000", "stage": "输单", "lost_reason": "价格偏高"},
    ],
    "leads": [
        {"name": "王经理", "company": "华润物流有限公司", "phone": "13911112222", "email": "wang@example.cn",
         "source": "展会", "campaign": "2026 秋季物流展", "notes": "对冷链线路有兴趣"},
        {"name": "陈女士", "phone": "021-64805447", "source": "网络", "owner": "公海"},
    ],
}
REQUIRED_MARK = {True: "必填 required", False: ""}


def header_text(col) -> str:  # noqa: ANN001 - ImportColumn
    return f"{col.zh} / {col.key}"


def write_template(spec: ImportSpec | str, path: str | os.PathLike, examples: bool = True) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from desktop_crm.core.exporting.common import atomic_path

    if isinstance(spec, str):
        spec = get_spec(spec)
    wb = Workbook()
    ws = wb.active
    ws.title = spec.name
    ws.append([header_text(c) for c in spec.columns])
    for i, col in enumerate(spec.columns, 1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="C00000" if col.required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = max(12, len(col.key) + 6)
    if examples:
        for example in EXAMPLES.get(spec.name, []):
            ws.append([example.get(c.key) for c in spec.columns])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"  # text: keeps codes, phones and leading zeros as typed
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("说明 Help")
    help_ws.append(["列名 (英文) / key", "列名 (中文) / Chinese header", "也接受 / also accepted", "必填 / required",
                    "说明 / notes"])
    for cell in help_ws[1]:
        cell.font = Font(bold=True)
    from desktop_crm.core.i18n import load_catalog

    zh = load_catalog("zh_CN")
    for col in spec.columns:
        notes = " / ".join(t for t in dict.fromkeys([zh.get(col.help, ""), col.help]) if t) if col.help else ""
        help_ws.append([col.key, col.zh, ", ".join([col.label, *col.aliases[1:]]), REQUIRED_MARK[col.required],
                        notes])
    help_ws.append([])
    help_ws.append(["表头可用英文键或中文列名，也可两者并用（如“客户编号 / code”）。"
                    "Headers may be the English key, the Chinese header, or both (e.g. \"客户编号 / code\")."])
    help_ws.append(["枚举值可填英文键或中文名称（如 active 或 现实客户）。"
                    "Enumerations accept the key or the Chinese label (e.g. active or 现实客户)."])
    help_ws.append(["日期：2024-03-05、2024/3/5、2024年3月5日 或 Excel 日期。Dates: 2024-03-05, 2024/3/5, 2024年3月5日 or an "
                    "Excel date."])
    help_ws.append(["模式：create 新建（已存在的跳过）· update 更新（按编号匹配）· upsert 有则更新、无则新建。"
                    "Modes: create (existing rows skipped) · update (matched by code) · upsert (update or create)."])
    help_ws.append(["空单元格不会清除已有的值。Empty cells never erase a stored value."])
    for letter, width in zip("ABCDE", (18, 22, 36, 14, 80), strict=True):
        help_ws.column_dimensions[letter].width = width
    with atomic_path(path) as tmp:
        wb.save(tmp)


def main(argv: list[str] | None = None) -> int:
    out = Path((argv or sys.argv[1:] or ["resources/templates"])[0])
    for name in ("customers", "contacts", "contracts", "opportunities", "leads"):
        write_template(name, out / f"{name}.xlsx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
