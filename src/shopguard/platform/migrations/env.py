"""Alembic environment: runs on the connection the caller hands over (see db.migrate).

Migrations need no table objects to run; only autogenerate through the alembic CLI compares
against the whole schema, which the composition root (`shopguard.schema`) assembles."""

from alembic import context

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via the alembic CLI
    from shopguard.platform.config import get_settings
    from shopguard.platform.db import make_engine
    from shopguard.schema import metadata

    engine = make_engine(get_settings().resolved_database_url())
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
