"""HTTP API: REST endpoints and an OpenAI-compatible chat endpoint over the one ``Assistant``."""

from assistant.api.app import create_app

__all__ = ["create_app"]
