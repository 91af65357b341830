-- The leader's decrypted input share is stored encrypted with the datastore key (AES-256-GCM,
-- AAD "client_reports/leader_input_share/" || task_id || report_id) from now on. Rows written
-- before hold it in the clear (FALSE); they are erased once aggregated, like every share.
ALTER TABLE client_reports ADD COLUMN leader_input_share_sealed BOOLEAN NOT NULL DEFAULT FALSE;
