-- DAP-18 §4.5.3 ("Resource Creation"): the helper names the aggregation job resource it created
-- in the Location header of its answer to the leader's POST; the continuation (Poplar1) and the
-- DELETE go to that resource. The leader keeps it with its job, resolved against the request URL.
-- NULL for DAP-09 jobs (their resource is {helper}/tasks/{task-id}/aggregation_jobs/{job-id}).
ALTER TABLE aggregation_jobs ADD COLUMN helper_location TEXT;
