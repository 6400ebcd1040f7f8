"""The JoggAI v1 wire format, shared by the client and the local engine."""
