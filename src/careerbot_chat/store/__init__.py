"""Persistence behind one ``Store`` contract: SQLite (default) and PostgreSQL."""
