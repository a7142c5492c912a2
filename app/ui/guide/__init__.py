"""The first-run guide (dialog.py) and its model step (model_page.py)."""
