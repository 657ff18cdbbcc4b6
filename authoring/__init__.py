"""Template authoring: the house-style builder and the generators of templates/ (not part of the runtime package)."""
