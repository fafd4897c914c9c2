-- Policies (immutable once loaded), dealer terms (versioned), periods and their results, and
-- the audit log.

CREATE TABLE policies (
  policy_id text NOT NULL CHECK (policy_id <> ''),
  version integer NOT NULL CHECK (version > 0),
  source_text text NOT NULL,
  source_sha256 text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  loaded_at timestamptz NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE dealer_terms (
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  version integer NOT NULL CHECK (version > 0),
  effective_from date NOT NULL,
  policy_id text NOT NULL,
  policy_version integer NOT NULL,
  tier text NOT NULL,
  extra_discount_rate numeric(9, 6) NOT NULL DEFAULT 0
    CHECK (extra_discount_rate >= 0 AND extra_discount_rate < 1),
  issued_by text NOT NULL,
  issued_at timestamptz NOT NULL,
  approval text NOT NULL CHECK (approval IN ('not_needed', 'pending', 'approved', 'rejected')),
  approved_by text,
  approved_at timestamptz,
  PRIMARY KEY (dealer_id, version),
  FOREIGN KEY (policy_id, policy_version) REFERENCES policies (policy_id, version),
  CHECK ((approval IN ('approved', 'rejected')) = (approved_by IS NOT NULL AND approved_at IS NOT NULL))
);

CREATE TABLE periods (
  period_key text PRIMARY KEY CHECK (period_key ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
  status text NOT NULL CHECK (status IN ('open', 'draft', 'closed')),
  fingerprint text,
  closed_by text,
  closed_at timestamptz,
  CHECK ((status = 'closed') = (fingerprint IS NOT NULL AND closed_by IS NOT NULL
    AND closed_at IS NOT NULL))
);

CREATE TABLE results (
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  period_key text NOT NULL REFERENCES periods (period_key),
  mechanic text NOT NULL CHECK (mechanic <> ''),
  -- Distinguishes several lines of one mechanic (an adjustment per closed period it corrects).
  line_key text NOT NULL DEFAULT '',
  amount_minor bigint NOT NULL,
  explanation jsonb NOT NULL,
  source_refs jsonb NOT NULL DEFAULT '[]',
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (dealer_id, period_key, mechanic, line_key)
);
CREATE INDEX results_period ON results (period_key);

CREATE TABLE audit_log (
  entry_id text PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL CHECK (actor <> ''),
  action text NOT NULL CHECK (action <> ''),
  subject text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
