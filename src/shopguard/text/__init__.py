"""The pure text core: normalisation with offsets, personal-data detection and masks, policy
packs and the screening engine. Plain data in, plain data out; uses only `platform.errors`."""
