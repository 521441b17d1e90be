"""The bundled Learning Ops knowledge (playbooks, past-session notes) and its ingestion."""

from pathlib import Path

BUNDLED_KNOWLEDGE_DIR = Path(__file__).resolve().parent
# Only the content folders are knowledge; the code beside them is not.
BUNDLED_SUBFOLDERS = ("playbooks", "sessions")
