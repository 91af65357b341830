-- Helper aggregation (DAP-09 §4.5.1, §4.6.3).

-- The helper's boundary check for fixed-size aggregate share requests (§4.6.6.1) asks whether any
-- aggregation job of the task used a batch id.
CREATE INDEX aggregation_jobs_batch ON aggregation_jobs (task_id, batch_id)
    WHERE batch_id IS NOT NULL;
