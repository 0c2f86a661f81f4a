"""The platform owns settings, the database and migrations, keys and roles, the audit log, the
clock, errors, bulk writes, fonts and the metric registry. It knows no capability and uses
nothing of shopguard above it."""
