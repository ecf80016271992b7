"""Rack Designer's engine: layout model, catalog, routing, media selection, metrics.

Nothing in this package imports Qt: it runs headless, under the CLI and in tests.
"""
