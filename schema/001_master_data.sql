-- Master data: dealers, products, list prices, price changes.
-- Money is bigint minor units (2 decimals); rates are numeric. Dealer-owned tables carry
-- dealer_id in their primary key so they can later be distributed by dealer (docs/data-model.md).

CREATE TABLE dealers (
  dealer_id text PRIMARY KEY CHECK (dealer_id <> ''),
  name text NOT NULL CHECK (name <> ''),
  tier text NOT NULL CHECK (tier <> ''),
  segment text NOT NULL CHECK (segment <> ''),
  region text NOT NULL CHECK (region <> ''),
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'closed'))
);

CREATE TABLE products (
  sku text PRIMARY KEY CHECK (sku <> ''),
  name text NOT NULL CHECK (name <> ''),
  category text NOT NULL CHECK (category <> ''),
  brand text NOT NULL CHECK (brand <> ''),
  unit_cost_minor bigint NOT NULL CHECK (unit_cost_minor >= 0)
);

CREATE TABLE price_list (
  sku text NOT NULL REFERENCES products (sku),
  effective_from date NOT NULL,
  list_price_minor bigint NOT NULL CHECK (list_price_minor >= 0),
  PRIMARY KEY (sku, effective_from)
);

CREATE TABLE price_changes (
  sku text NOT NULL REFERENCES products (sku),
  effective_date date NOT NULL,
  new_list_price_minor bigint NOT NULL CHECK (new_list_price_minor >= 0),
  PRIMARY KEY (sku, effective_date)
);
