"""Kiosk mode: one model full screen, locked down, every visitor starting fresh (app.kiosk_gui starts it)."""
