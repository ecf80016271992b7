"""MIME types of what is dragged from the library palette: the payload is a catalog id (UTF-8)."""

DEVICE_TYPE_MIME = "application/x-rack-designer-device-type"
RACK_TYPE_MIME = "application/x-rack-designer-rack-type"
