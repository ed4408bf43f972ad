"""The database: tables, engine and schema, locks, and the store (the only SQL)."""
