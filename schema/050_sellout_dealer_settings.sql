-- What each dealer agreed for its sell-out files: its own column names, its own product codes,
-- and whether its reports may carry customer returns (docs/dealers-sellout.md).

CREATE TABLE sellout_column_mappings (
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  -- The header as the dealer's export writes it; the reader compares it case and space blind.
  header text NOT NULL CHECK (header <> '' AND length(header) <= 256),
  field text NOT NULL CHECK (field IN ('date', 'sku', 'quantity', 'resale_price')),
  PRIMARY KEY (dealer_id, header)
);

-- No foreign key to products: `rebate sellout codes` refuses unknown SKUs when the list is
-- loaded, and the file reader still names a code whose SKU left the catalogue later.
CREATE TABLE sellout_code_xref (
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  dealer_code text NOT NULL CHECK (dealer_code <> '' AND length(dealer_code) <= 256),
  sku text NOT NULL CHECK (sku <> ''),
  PRIMARY KEY (dealer_id, dealer_code)
);

CREATE TABLE sellout_dealer_settings (
  dealer_id text PRIMARY KEY REFERENCES dealers (dealer_id),
  allows_returns boolean NOT NULL DEFAULT false
);
