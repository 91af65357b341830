-- Aggregation parameters (DAP-09 §4.5.1, §4.6): a VDAF such as Poplar1 aggregates the same
-- reports once per parameter the collector chooses, so jobs, report aggregations and batch
-- aggregations are keyed by it. Prio3's parameter is empty, and an empty key is stored for it:
-- every existing row keeps its meaning.
--
-- aggregation_param_hash: empty for the empty parameter, else SHA-256 of the encoded parameter
-- (parameters can be longer than an index entry may be).

-- The job's parameter, as the leader sent it in AggregationJobInitReq.
ALTER TABLE aggregation_jobs ADD COLUMN aggregation_param BYTEA NOT NULL DEFAULT '\x'::bytea;

-- Replay protection is per (report, parameter): "has already been aggregated with this
-- aggregation parameter" (§4.5.1.4).
ALTER TABLE report_aggregations
    ADD COLUMN aggregation_param_hash BYTEA NOT NULL DEFAULT '\x'::bytea;
CREATE UNIQUE INDEX report_aggregations_report_param
    ON report_aggregations (task_id, report_id, aggregation_param_hash);
DROP INDEX report_aggregations_report;

-- A batch's sum per parameter.
ALTER TABLE batch_aggregations
    ADD COLUMN aggregation_param_hash BYTEA NOT NULL DEFAULT '\x'::bytea;
ALTER TABLE batch_aggregations DROP CONSTRAINT batch_aggregations_pkey,
    ADD PRIMARY KEY (task_id, batch_identifier, aggregation_param_hash, ord);
