-- Each dealer's RFM scores, named segment and churn signal for a period (docs/economics.md).
-- Analytics, not money: recomputed from the period's documents whenever `rebate segments
-- --store` runs, so a re-run replaces the period's rows.
CREATE TABLE dealer_segments (
  period_key text NOT NULL CHECK (period_key ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  recency smallint NOT NULL CHECK (recency BETWEEN 1 AND 5),
  frequency smallint NOT NULL CHECK (frequency BETWEEN 1 AND 5),
  monetary smallint NOT NULL CHECK (monetary BETWEEN 1 AND 5),
  segment text NOT NULL CHECK (segment <> ''),
  grade text,
  churn_signal boolean NOT NULL,
  explanation jsonb NOT NULL,
  PRIMARY KEY (period_key, dealer_id)
);
CREATE INDEX dealer_segments_segment ON dealer_segments (period_key, segment);
