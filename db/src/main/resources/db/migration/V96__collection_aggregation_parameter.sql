-- The collector's aggregation parameter of a collection job (DAP-09 §4.6.1 CollectionReq
-- agg_param); empty for Prio3, so every existing job keeps its meaning.
ALTER TABLE collection_jobs ADD COLUMN aggregation_param BYTEA NOT NULL DEFAULT '\x'::bytea;
