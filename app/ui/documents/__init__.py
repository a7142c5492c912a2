"""The document collections in the window: indexing them off the GUI thread, the Documents dialog, and
the sources of an answer from them."""
