"""Pure regulatory and domain rules, each naming its citation: no database, no I/O."""
