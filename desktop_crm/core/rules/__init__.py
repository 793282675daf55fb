"""Pure business rules (DOMAIN §2, §5, §6): no database, no Qt, no I/O."""
