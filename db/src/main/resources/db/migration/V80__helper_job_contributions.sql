-- What each of the helper's aggregation jobs added to each batch (DAP-09 §4.5.2, §4.6.3): the
-- sum of its output shares (sealed with the datastore key like every aggregate share, AAD
-- "helper_job_contributions/aggregate_share/" || task_id || aggregation_job_id ||
-- batch_identifier), their count and checksum. When the leader deletes a job before its batches
-- are collected, the helper takes this back out of them, so the two aggregators' batches stay
-- equal instead of failing every later collection with batchMismatch.
CREATE TABLE helper_job_contributions (
    task_id                   BYTEA NOT NULL,
    aggregation_job_id        BYTEA NOT NULL,
    batch_identifier          BYTEA NOT NULL,
    ord                       INTEGER NOT NULL,  -- the batch_aggregations shard it went to
    aggregate_share           BYTEA NOT NULL,
    report_count              BIGINT NOT NULL,
    checksum                  BYTEA NOT NULL,
    PRIMARY KEY (task_id, aggregation_job_id, batch_identifier),
    FOREIGN KEY (task_id, aggregation_job_id)
        REFERENCES aggregation_jobs (task_id, aggregation_job_id) ON DELETE CASCADE
);
