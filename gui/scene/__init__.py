"""The two drawings of a layout: the floor plan (from above) and the rack elevation (faces).

Scene units are millimetres. Items hold the id of what they draw and are rebuilt or
updated from the context's documentChanged / analysisUpdated signals; they own no data.
"""
