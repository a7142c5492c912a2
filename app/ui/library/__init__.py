"""The model library: pane, its controllers, table model, cards, dialogs."""
