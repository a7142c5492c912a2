"""Conversations: their data model, the SQLite store, reasoning sections, export."""
