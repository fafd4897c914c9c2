// Module Policy: see docs/architecture.md.
