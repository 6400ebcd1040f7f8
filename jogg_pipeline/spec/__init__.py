"""Campaign specs: loading, validation, templates and expansion."""
