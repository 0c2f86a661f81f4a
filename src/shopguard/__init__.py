"""shopguard: consumer protection and trust and safety for e-commerce marketplaces.

Floors, lowest first; a module imports only from its own package or a floor below, and between
capabilities one way (ARCHITECTURE.md has the tables; `make lint` checks them):

    platform -> text (pure core) -> interface (edges)
      -> screening -> enforcement -> privacy (capabilities)
      -> simulation | reporting -> api, cli, admin, demo, runtime, schema (shells)
"""

__version__ = "0.1.0"
