"""Placeholder until the dedicated backend lands: delegates to the generic LIKE backend."""

from desktop_crm.core.search.generic import install, match_ids, remove_documents, write_documents

__all__ = ["install", "match_ids", "remove_documents", "write_documents"]
