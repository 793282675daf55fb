"""Use cases. Each public function takes a `Ctx`, runs one transaction, checks permissions,
writes the audit log and returns plain data."""
