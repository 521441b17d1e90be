"""The Gradio web UI: components and their event handlers over the use cases
(coach.services). The composition root (`wiring`) mounts it at /ui behind the API's sign-in;
it never imports the API."""
