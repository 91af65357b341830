-- The asynchronous helper (DAP-18 §3, "Asynchronous Request Handling"): a DAP-18 request the
-- helper answered with "processing" (an empty 201 and a Location) waits here until the helper's
-- own driver has handled it. Handling is idempotent (the resource id is derived from the request
-- body, and a repeated request is answered from what the first one stored), so a row that a
-- crashed driver left leased is simply handled again once its lease has expired.
--
-- resource: 'aggregation_job' or 'aggregate_share'.
-- body: the request exactly as received (HPKE ciphertexts only; no secret in the clear).
-- state: 'pending' until handled; handled rows are deleted, except failures, which keep the
--   problem the request met (problem_source 'dap' with a DapProblemType name, or 'pando' with a
--   PandoProblem name) so that a GET of the resource answers it.
CREATE TABLE helper_deferred_requests (
    task_id BYTEA NOT NULL,
    resource TEXT NOT NULL CHECK (resource IN ('aggregation_job', 'aggregate_share')),
    resource_id BYTEA NOT NULL,
    body BYTEA NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_expiry TIMESTAMPTZ,
    problem_source TEXT,
    problem_type TEXT,
    problem_detail TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, resource, resource_id)
);

CREATE INDEX helper_deferred_requests_pending
    ON helper_deferred_requests (lease_expiry NULLS FIRST) WHERE state = 'pending';
