-- Documents a dealer's results are computed from: invoices and credit notes with their lines,
-- payments, and sell-out submissions (raw bytes kept with their hash) with their lines.

-- No foreign key to dealers, for the same reason as invoice_lines below: the importer checks
-- every dealer code, and 005_import_checks.sql refuses deleting a dealer that has invoices.
CREATE TABLE invoices (
  dealer_id text NOT NULL,
  document text NOT NULL CHECK (document <> ''),
  kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  issued_on date NOT NULL,
  due_on date,
  vat_percent numeric(7, 4) NOT NULL CHECK (vat_percent >= 0 AND vat_percent < 100),
  refers_to text,
  -- SHA-256 of the document's canonical text (header and lines): equal hash = same document,
  -- so a re-import is recognised without comparing line by line.
  content_sha256 text NOT NULL,
  PRIMARY KEY (dealer_id, document),
  CHECK (kind = 'invoice' AND due_on IS NOT NULL AND refers_to IS NULL
    OR kind = 'credit_note' AND due_on IS NULL)
);
-- Document numbers are the manufacturer's and unique across dealers; the importer checks that
-- (a unique index without dealer_id would stop distribution by dealer).
CREATE INDEX invoices_document ON invoices (document);
CREATE INDEX invoices_dealer_date ON invoices (dealer_id, issued_on);

-- No foreign keys to products and invoices: per-row foreign-key triggers more than tripled the
-- time of a bulk import (docs/DECISIONS.md 2026-11-22). The importer guarantees both set-wise (SKUs are
-- checked against products; lines are written only for documents whose header it writes in the
-- same transaction); 005_import_checks.sql keeps deletes from leaving lines without their
-- invoice or product.
CREATE TABLE invoice_lines (
  dealer_id text NOT NULL,
  document text NOT NULL,
  line integer NOT NULL CHECK (line > 0),
  sku text NOT NULL,
  qty bigint NOT NULL CHECK (qty > 0),
  list_price_minor bigint NOT NULL CHECK (list_price_minor >= 0),
  net_unit_price_minor bigint NOT NULL CHECK (net_unit_price_minor >= 0),
  net_amount_minor bigint NOT NULL CHECK (net_amount_minor = qty * net_unit_price_minor),
  PRIMARY KEY (dealer_id, document, line)
);

CREATE TABLE payments (
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  payment text NOT NULL CHECK (payment <> ''),
  paid_on date NOT NULL,
  gross_amount_minor bigint NOT NULL CHECK (gross_amount_minor > 0),
  invoice text,
  PRIMARY KEY (dealer_id, payment),
  FOREIGN KEY (dealer_id, invoice) REFERENCES invoices (dealer_id, document)
);
CREATE INDEX payments_payment ON payments (payment);
CREATE INDEX payments_dealer_date ON payments (dealer_id, paid_on);

CREATE TABLE sellout_submissions (
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  report_month date NOT NULL CHECK (extract(day FROM report_month) = 1),
  version integer NOT NULL CHECK (version > 0),
  raw_bytes bytea NOT NULL,
  raw_sha256 text NOT NULL CHECK (raw_sha256 ~ '^[0-9a-f]{64}$'),
  submitted_at timestamptz NOT NULL,
  submitted_by text NOT NULL,
  PRIMARY KEY (dealer_id, report_month, version),
  -- The same bytes sent twice are one submission.
  UNIQUE (dealer_id, raw_sha256)
);

CREATE TABLE sellout_lines (
  dealer_id text NOT NULL,
  report_month date NOT NULL,
  version integer NOT NULL,
  line integer NOT NULL CHECK (line > 0),
  sold_on date NOT NULL,
  -- No foreign keys to products or sellout_submissions: per-row key checks made a 1,000,000-line
  -- file four times slower. `rebate sellout submit` writes the submission and its lines in one
  -- transaction with every SKU checked by the reader; deleting a product that sell-out lines
  -- name is refused by a trigger (005), and submissions are never deleted.
  sku text NOT NULL,
  dealer_code text,
  qty bigint NOT NULL,
  resale_price_minor bigint,
  PRIMARY KEY (dealer_id, report_month, version, line)
);
