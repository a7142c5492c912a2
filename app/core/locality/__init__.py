"""Data locality: the network policy, its guard, the audit log, the connection monitor, the report."""
