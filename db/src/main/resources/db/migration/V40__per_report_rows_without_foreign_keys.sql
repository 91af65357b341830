-- The two tables written once or more per report carry no foreign key. A foreign key check is a
-- trigger query per inserted row (about 10 µs of PostgreSQL time each, three per report end to
-- end); what the keys gave is kept another way:
--
-- * report_aggregations -> aggregation_jobs: both roles insert a job's report aggregations in
--   the transaction that inserts the job (whose own key to tasks locks the task row), and jobs
--   are removed only with their task.
-- * client_reports -> tasks: the upload's batched insert locks the tasks of its reports with
--   FOR KEY SHARE and inserts only the reports of tasks it found (ReportStore.putIfAbsent), so a
--   task deleted meanwhile gets none of them.
-- * ON DELETE CASCADE: deleting a task deletes its reports and report aggregations (below).
ALTER TABLE client_reports DROP CONSTRAINT client_reports_task_id_fkey;
ALTER TABLE report_aggregations
    DROP CONSTRAINT report_aggregations_task_id_aggregation_job_id_fkey;

CREATE FUNCTION delete_task_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM client_reports WHERE task_id = OLD.task_id;
    DELETE FROM report_aggregations WHERE task_id = OLD.task_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER tasks_delete_reports AFTER DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION delete_task_reports();
