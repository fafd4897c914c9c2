// Module Pricing: see docs/architecture.md.
