-- Several replicas over one database (aggregator/README.md, "Replicas").
--
-- lease_holder:    the instance (pando.instance) that took the job's current or last lease.
-- step_commits:    how many fenced step commits the job has had: one per step it completed.
-- committed_by,
-- committed_token: the instance and the lease token of the last of them. Two lease holders
--                  driving one step would show as more commits than steps.
ALTER TABLE aggregation_jobs ADD COLUMN lease_holder TEXT,
                             ADD COLUMN step_commits INTEGER NOT NULL DEFAULT 0,
                             ADD COLUMN committed_by TEXT,
                             ADD COLUMN committed_token BYTEA;
ALTER TABLE collection_jobs ADD COLUMN lease_holder TEXT,
                            ADD COLUMN step_commits INTEGER NOT NULL DEFAULT 0,
                            ADD COLUMN committed_by TEXT,
                            ADD COLUMN committed_token BYTEA;

-- Every replica caches tasks and HPKE keys; a change notifies them all (LISTEN/NOTIFY), whoever
-- made it: the admin API of any replica, a task file, or SQL by hand.
CREATE FUNCTION pando_notify_task_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pando_tasks',
      encode(CASE WHEN TG_OP = 'DELETE' THEN OLD.task_id ELSE NEW.task_id END, 'hex'));
  RETURN NULL;
END $$;
CREATE TRIGGER tasks_notify AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION pando_notify_task_change();

CREATE FUNCTION pando_notify_hpke_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pando_hpke_keys', '');
  RETURN NULL;
END $$;
CREATE TRIGGER hpke_keys_notify AFTER INSERT OR UPDATE OR DELETE ON hpke_keys
    FOR EACH STATEMENT EXECUTE FUNCTION pando_notify_hpke_key_change();
