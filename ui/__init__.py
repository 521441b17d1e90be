"""The Gradio web UI, mounted into the API app at /ui. A thin layer over `coach` services."""
