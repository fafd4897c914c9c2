// Module DemoData: see docs/architecture.md.
