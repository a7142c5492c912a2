"""The data-locality indicator, its panel, and the audit log table the panel shows."""
