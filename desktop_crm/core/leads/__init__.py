"""Leads (线索): prospective contacts before they are customers — the service (`service`), their
import (`importing.leads_spec`) and report (`reporting.builders.leads`)."""
