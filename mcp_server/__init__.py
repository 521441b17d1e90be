"""The MCP door: the coach as a Model Context Protocol server, for the assistants, IDEs and agent
frameworks people already use. Its tools, resources and prompts call the same use cases as the
HTTP API and the web UI (`coach.services.Services`), as the caller they are given.

The composition root serves it two ways: over streamable HTTP at /mcp in the same app as the
API, behind the same keys (`wiring.app`), and over stdio for desktop clients (`coach mcp`,
`wiring.stdio`). Named `mcp_server` so that it never shadows the SDK's own `mcp` package."""
