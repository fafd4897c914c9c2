-- The dealer's payment terms (e.g. `prepayment`, `net30`): a cascade step may be conditioned on
-- them (`payment_terms = [...]` in a policy), so quotes, the invoice audit, terms sheets and price
-- protection need the attribute. It is master data like tier, segment and region and comes from
-- dealers.csv's optional `payment_terms` column. Empty means none recorded: such a dealer meets
-- no payment-terms condition, which is how every dealer was priced before this column existed,
-- so existing rows keep their prices.
ALTER TABLE dealers
  ADD COLUMN payment_terms text NOT NULL DEFAULT '';
