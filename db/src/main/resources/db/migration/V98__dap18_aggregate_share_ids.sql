-- DAP-18 aggregate shares are resources (draft-ietf-ppm-dap-18 §4.6.3): the id the helper chose
-- from the request (aggregator/README.md, "DAP-18"), and whether the leader deleted the share
-- ("Aggregate Share Deletion"; the row stays for the double-collection checks). DAP-09 answers
-- keep a NULL id.
ALTER TABLE aggregate_share_jobs ADD COLUMN share_id BYTEA CHECK (length(share_id) = 16);
ALTER TABLE aggregate_share_jobs ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX aggregate_share_jobs_share_id
    ON aggregate_share_jobs (task_id, share_id) WHERE share_id IS NOT NULL;
