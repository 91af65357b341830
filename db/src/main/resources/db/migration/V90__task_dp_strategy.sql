-- A task's differential privacy strategy (aggregator-added noise): its JSON form, e.g.
-- {"type":"pure_dp_discrete_laplace","epsilon":"1/2"}; NULL for a task without noise.
ALTER TABLE tasks ADD COLUMN dp_strategy TEXT;
