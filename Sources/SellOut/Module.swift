// Module SellOut: see docs/architecture.md.
