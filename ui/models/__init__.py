"""Qt item models: thin adapters over cache queries, with named roles."""
