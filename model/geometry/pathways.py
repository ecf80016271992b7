"""The pathways a cable can run in, as codes in RouteColumns.pathway (see model.geometry.routes)."""

IN_RACK, TRAYS, PASS_THROUGH, CARTRIDGE = 0, 1, 2, 3
# How reports name each pathway, by code.
PATHWAYS = ("in the rack", "through the trays", "through the side openings", "in the rear cable cartridge")
