"""Work that spans capabilities: named flows above the domains (the dispatch ``flows`` pattern),
each calling the domains' services in one unit of work, so no domain imports another."""
