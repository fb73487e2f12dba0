-- A job whose detail page LinkedIn no longer serves (404/410) is marked gone, so that later runs stop
-- asking for it and a taken-down posting does not make every morning's cron run "partly failed".
ALTER TABLE job_search_results ADD COLUMN gone_at TEXT;
