// Module RebateStore: see docs/architecture.md.
