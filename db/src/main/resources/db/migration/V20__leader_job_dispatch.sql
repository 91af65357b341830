-- Leader job dispatch and fixed-size batch filling.
--
-- announced_at: when the job's id was last published on the Kafka dispatch bus. The sweeper
-- re-announces a leasable job whose lease has expired only when its last announcement is older
-- than the sweep interval, so a freshly announced job is not published twice.
ALTER TABLE aggregation_jobs ADD COLUMN announced_at TIMESTAMPTZ;
ALTER TABLE collection_jobs ADD COLUMN announced_at TIMESTAMPTZ;

-- Fixed-size batches have a size range while their aggregation jobs run:
--   report_count      the reports assigned to the batch and not failed (upper bound);
--   aggregated_count  the reports whose aggregation finished (lower bound).
-- A batch is filled (takes no more reports) once aggregated_count reaches min_batch_size.
ALTER TABLE outstanding_batches ADD COLUMN aggregated_count BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outstanding_batches_unfilled ON outstanding_batches (task_id)
    WHERE filled = FALSE;

