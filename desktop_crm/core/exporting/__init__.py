"""Renderers of the report model (`core.reporting.model`): xlsx, pdf, csv, json; safe cell values."""
