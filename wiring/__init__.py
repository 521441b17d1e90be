"""The composition root: the one place that knows every part. It builds the use cases
(coach.services) over their adapters (coach.adapters.sql, knowledge.library), and mounts the
two doors on them: the HTTP API (`api`) and the web UI (`ui`). The `coach` command and the
evaluation harness start from here too."""
