// Module PolicyFormat: see docs/architecture.md.
