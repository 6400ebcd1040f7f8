"""The run state: a SQLite database in the state directory, and the lock that guards it."""
