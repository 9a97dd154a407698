"""Running Moussaillon: structured logs, Prometheus metrics, SQLite backups."""
