"""Desktop CRM (客户关系管理系统)."""

__version__ = "0.1.0"
