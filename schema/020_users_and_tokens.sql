-- Users and API tokens of the HTTP API and the dealer portal (docs/http.md).
-- A token is shown to its user once; only its SHA-256 hash (64 lower-case hex digits) is stored,
-- so a copy of this table lets nobody in. Tokens are revoked, never deleted, for the audit trail.

CREATE TABLE users (
  user_name text PRIMARY KEY CHECK (user_name <> ''),
  role text NOT NULL CHECK (role IN ('dealer', 'sales', 'finance', 'auditor', 'admin')),
  -- A dealer user sees exactly one dealer; staff roles see all and carry no dealer.
  dealer_id text REFERENCES dealers (dealer_id),
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  CONSTRAINT users_dealer_binding CHECK ((role = 'dealer') = (dealer_id IS NOT NULL))
);

CREATE INDEX users_dealer ON users (dealer_id) WHERE dealer_id IS NOT NULL;

-- The primary key on token_sha256 is the index every authenticated request looks tokens up by.
CREATE TABLE api_tokens (
  token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  user_name text NOT NULL REFERENCES users (user_name),
  -- What the token is for ("portal session", "ERP export"), shown in token listings.
  label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);

CREATE INDEX api_tokens_user ON api_tokens (user_name);
