"""The integration fixtures (a served coach, a Chroma server) serve these tests too."""

from tests.integration.conftest import bundled_coach, http
from tests.integration.test_chroma_server import chroma_url

__all__ = ["bundled_coach", "chroma_url", "http"]
