-- The DAP draft a task speaks (aggregator/README.md, "DAP-18").
--
-- tasks.dap_version: 'dap-09' (every task created before this migration, and the default) or
-- 'dap-18'. tasks.task_configuration: for a DAP-18 task, the canonical encoding of its
-- TaskConfiguration (draft-ietf-ppm-dap-18 §4.2), which the HPKE AADs bind; NULL for DAP-09.
-- The task's other columns (query type, VDAF, time precision in seconds, min batch size) hold
-- what that encoding says, so the rest of the datastore keeps one unit and one shape.
ALTER TABLE tasks ADD COLUMN dap_version TEXT NOT NULL DEFAULT 'dap-09'
    CHECK (dap_version IN ('dap-09', 'dap-18'));
ALTER TABLE tasks ADD COLUMN task_configuration BYTEA;
