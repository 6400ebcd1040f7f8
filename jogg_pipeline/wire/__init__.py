"""The JoggAI v1 wire format (models, enums, envelope), shared by the client and the engine."""
