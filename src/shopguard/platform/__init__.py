"""Cross-cutting infrastructure: settings, database, auth and roles, errors, clock."""
