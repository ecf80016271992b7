"""Rack Designer's Qt views over the engine in model/. No engine logic lives here."""
