"""The live expert view: pane, heatmap, colour map."""
