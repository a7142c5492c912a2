"""The data-locality indicator and its panel."""
