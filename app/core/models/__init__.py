"""Model files: the GGUF reader, demo models, the catalog, the fit estimate, bundled models."""
