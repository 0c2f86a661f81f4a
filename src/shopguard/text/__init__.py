"""The pure text core owns normalisation with offsets, personal-data detection and masks, policy
packs and their compilation, and the screening engine. Plain data in, plain data out: it uses
only `platform.errors`; no database, web, CLI, clock or environment."""
