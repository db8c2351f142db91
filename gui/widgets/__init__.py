"""Reusable pieces of the window: input cells, stage panels, tables, plots and heatmaps."""
