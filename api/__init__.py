"""The HTTP door (FastAPI): routers, request and response schemas, authentication and the
browser sign-in, and HTTP errors, over the use cases (coach.services). It never imports the
web UI nor the database; the composition root (`wiring`) hands it both its services and the
errors that mean "the database is busy"."""
