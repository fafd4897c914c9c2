// Module Economics: see docs/architecture.md.
