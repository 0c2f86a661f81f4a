"""Alembic environment: runs on the connection the caller hands over (see db.migrate)."""

from alembic import context

from shopguard.platform.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via the alembic CLI
    from shopguard.platform.config import get_settings
    from shopguard.platform.db import make_engine

    engine = make_engine(get_settings().resolved_database_url())
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
