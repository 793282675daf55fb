"""Leads (线索): the list, its dialogs and the conversion."""
