"""Bundled resources: the README screenshot and, as the app grows, icons and data."""
