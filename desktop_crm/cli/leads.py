"""`lead add|list|show|contact|status|claim|assign|convert` (import: `import leads FILE`)."""

from __future__ import annotations

import argparse
import sys

from desktop_crm.cli import CliError
from desktop_crm.cli.args import user_id
from desktop_crm.cli.output import add_list_options, check_format, emit
from desktop_crm.core.enums import INTERACTION_CHANNEL, LEAD_STATUS, SOURCE
from desktop_crm.core.i18n import _

COLUMNS = ["id", "name", "company", "phone", "email", "source", "campaign", "owner", "status", "customer_code",
           "created_at"]




def register(sub: argparse._SubParsersAction) -> None:
    lead = sub.add_parser("lead", help=_("leads: prospective customers"))
    lsub = lead.add_subparsers(dest="lead_command", metavar="ACTION", required=True)
    add = lsub.add_parser("add", help=_("add a lead"))
    add.add_argument("name")
    add.add_argument("--company")
    add.add_argument("--phone")
    add.add_argument("--email")
    add.add_argument("--source", help=", ".join(SOURCE.keys))
    add.add_argument("--campaign")
    add.add_argument("--notes")
    add.add_argument("--owner", metavar="USER|pool", help=_("username, or pool (default: yourself)"))
    add.set_defaults(func=cmd_add)
    lst = lsub.add_parser("list", help=_("leads you may see"))
    lst.add_argument("--status", help=", ".join(LEAD_STATUS.keys))
    lst.add_argument("--search")
    lst.add_argument("--pool", action="store_true", help=_("only the lead pool"))
    add_list_options(lst)
    lst.set_defaults(func=cmd_list)
    show = lsub.add_parser("show", help=_("a lead and its history"))
    show.add_argument("id", type=int)
    show.set_defaults(func=cmd_show)
    contact = lsub.add_parser("contact", help=_("log a contact with a lead"))
    contact.add_argument("id", type=int)
    contact.add_argument("--channel", required=True, help=", ".join(INTERACTION_CHANNEL.keys))
    contact.add_argument("--summary", required=True)
    contact.set_defaults(func=cmd_contact)
    status = lsub.add_parser("status", help=_("mark a lead contacted, qualified or disqualified"))
    status.add_argument("id", type=int)
    status.add_argument("status", help="contacted, qualified, disqualified, new")
    status.add_argument("--reason", default="")
    status.set_defaults(func=cmd_status)
    claim = lsub.add_parser("claim", help=_("take a lead from the lead pool"))
    claim.add_argument("id", type=int)
    claim.set_defaults(func=cmd_claim)
    assign = lsub.add_parser("assign", help=_("give a lead to someone, or to the lead pool"))
    assign.add_argument("id", type=int)
    assign.add_argument("--to", required=True, metavar="USER|pool")
    assign.set_defaults(func=cmd_assign)
    conv = lsub.add_parser("convert", help=_("make the lead a customer (with a contact and an opportunity)"))
    conv.add_argument("id", type=int)
    conv.add_argument("--opportunity", metavar="AMOUNT", help=_("also open an opportunity of this amount"))
    conv.add_argument("--customer", metavar="CODE", help=_("add the lead to this existing customer instead"))
    conv.add_argument("--allow-duplicate", action="store_true",
                      help=_("create the customer even though the archive has a likely duplicate"))
    conv.set_defaults(func=cmd_convert)


def cmd_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.leads import service as leads

    owner: object = "self"
    if args.owner:
        owner = None if args.owner == "pool" else user_id(env, args.owner)
    data = {k: getattr(args, k) for k in ("name", "company", "phone", "email", "source", "campaign", "notes")
            if getattr(args, k) is not None}
    v = leads.add(env.ctx, data, owner_id=owner)
    print(_("Lead {id} added: {name}.").format(id=v.id, name=v.name))
    return 0


def cmd_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.leads import service as leads

    check_format(env.ctx, args.format)
    statuses = ()
    if args.status:
        try:
            statuses = (LEAD_STATUS.parse(args.status),)
        except ValueError as exc:
            raise CliError(f"--status: {exc}", 2) from None
    f = leads.LeadFilter(search=args.search or "", statuses=statuses, pool=args.pool)
    rows = [v.as_json() for v in leads.page(env.ctx, f, limit=args.limit or 1000)]
    emit(rows, COLUMNS, args.format, sys.stdout, ctx=env.ctx)
    return 0


def cmd_show(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.leads import service as leads

    v = leads.get(env.ctx, args.id)
    for key, value in v.as_json().items():
        print(f"{key}: {'' if value is None else value}")
    for e in leads.history(env.ctx, args.id):
        print(f"  {e.at:%Y-%m-%d %H:%M}  {e.user}  {e.kind}  {e.channel}  {e.text}".rstrip())
    return 0


def cmd_contact(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.leads import service as leads

    try:
        channel = INTERACTION_CHANNEL.parse(args.channel)
    except ValueError as exc:
        raise CliError(f"--channel: {exc}", 2) from None
    leads.log_contact(env.ctx, args.id, channel=channel, text=args.summary)
    print(_("Contact logged for lead {id}.").format(id=args.id))
    return 0


def cmd_status(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.leads import service as leads

    try:
        status = LEAD_STATUS.parse(args.status)
    except ValueError as exc:
        raise CliError(f"status: {exc}", 2) from None
    v = leads.set_status(env.ctx, args.id, status, args.reason)
    print(_("Lead {id}: {status}.").format(id=v.id, status=LEAD_STATUS.label(v.status)))
    return 0


def cmd_claim(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.leads import service as leads

    v = leads.claim(env.ctx, args.id)
    print(_("Lead {id} is yours now.").format(id=v.id))
    return 0


def cmd_assign(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.leads import service as leads

    v = leads.assign(env.ctx, args.id, None if args.to == "pool" else user_id(env, args.to))
    print(_("Lead {id} given to {owner}.").format(id=v.id, owner=v.owner or _("the lead pool")))
    return 0


def cmd_convert(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.leads import service as leads
    from desktop_crm.core.services import customers

    existing = customers.id_by_code(env.ctx, args.customer) if args.customer else None
    v = leads.convert(env.ctx, args.id, opportunity_amount=args.opportunity, existing_customer_id=existing,
                      allow_duplicates=args.allow_duplicate)
    print(_("Lead {id} is now customer {code}.").format(id=v.id, code=v.customer_code))
    return 0
