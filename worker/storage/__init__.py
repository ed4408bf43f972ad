"""The database: tables, engine and schema, locks, and the queries (store and its siblings: the only SQL)."""
