"""Information security owns the encrypted personal-data vault and its keyring, orders with
masked reads and audited reveals, waybills and privacy numbers, the access monitor and order
messages. It may use: enforcement (harvesters get violations), screening, the floors below."""
