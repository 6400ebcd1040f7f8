"""The local JoggAI-compatible engine."""
