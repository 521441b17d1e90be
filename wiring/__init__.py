"""The composition root: the one place that knows every part. It builds the use cases
(coach.services) over their adapters (coach.adapters.sql, knowledge.library), and mounts the
doors on them: the HTTP API (`api`), the web UI (`ui`) and the MCP server (`mcp_server`, also
served on stdio by `coach mcp`). The `coach` command and the evaluation harness start from
here too."""
