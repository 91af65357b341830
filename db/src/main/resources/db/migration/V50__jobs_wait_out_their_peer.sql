-- Leader jobs are never abandoned for a failure of their peer: transient failures are retried
-- for as long as the task lives, and failures that need an operator park the job.
--
-- last_error:    why the last attempt did not finish the job (shown by the admin API).
-- parked_reason: set while the job is parked (401/403, unrecognizedTask, another refusal of
--                the peer); the job stays leasable and is tried again every
--                pando.jobs.parked-retry-interval, or at once on POST /admin/jobs/.../retry.
-- parked_at:     when the job was first parked in its current run of refusals.
ALTER TABLE aggregation_jobs ADD COLUMN last_error TEXT;
ALTER TABLE aggregation_jobs ADD COLUMN parked_reason TEXT;
ALTER TABLE aggregation_jobs ADD COLUMN parked_at TIMESTAMPTZ;
ALTER TABLE collection_jobs ADD COLUMN last_error TEXT;
ALTER TABLE collection_jobs ADD COLUMN parked_reason TEXT;
ALTER TABLE collection_jobs ADD COLUMN parked_at TIMESTAMPTZ;

CREATE INDEX aggregation_jobs_parked ON aggregation_jobs (parked_at)
    WHERE parked_reason IS NOT NULL AND state = 'IN_PROGRESS';
CREATE INDEX collection_jobs_parked ON collection_jobs (parked_at)
    WHERE parked_reason IS NOT NULL AND state IN ('START', 'COLLECTABLE');
