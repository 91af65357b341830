-- Batch aggregate shares are stored encrypted with the datastore key from now on (AES-256-GCM,
-- AAD "batch_aggregations/aggregate_share/" || task_id || batch_identifier || ord as 4 bytes
-- big-endian). A batch's empty shard rows hold NULL, read as the empty aggregate share. Rows
-- written before hold an encoded aggregate share in the clear (FALSE) until they are next
-- written.
ALTER TABLE batch_aggregations ADD COLUMN aggregate_share_sealed BOOLEAN NOT NULL DEFAULT FALSE;
