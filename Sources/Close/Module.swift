// Module Close: see docs/architecture.md.
