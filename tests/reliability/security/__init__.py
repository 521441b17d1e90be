"""The security suite (`make test-security`): issue 16's findings, each shown fixed against
real services where one is involved (Redis, PostgreSQL, a uvicorn server, Chromium)."""
