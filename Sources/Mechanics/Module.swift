// Module Mechanics: see docs/architecture.md.
