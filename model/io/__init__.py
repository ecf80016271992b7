"""Making work durable and shareable: layout files, migrations, the JSON Schema, the user's
device library, NetBox import and export, and CSV exports of an analysis."""
