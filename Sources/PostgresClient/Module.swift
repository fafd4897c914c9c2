// Module PostgresClient: see docs/architecture.md.
