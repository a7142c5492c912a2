"""Kiosk mode without Qt: the configuration file, the administrator's PIN and lock-out, the session's
counters. The window is app.kiosk_gui and app/ui/kiosk/; the command line, app/cli/kiosk.py."""
