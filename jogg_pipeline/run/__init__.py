"""Running campaigns: backends, plans, the resumable runner, manifests and diffs."""
