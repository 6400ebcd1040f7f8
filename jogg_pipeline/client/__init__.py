"""The JoggAI API client: one async client for the cloud and the local engine alike."""
