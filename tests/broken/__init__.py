"""Build small campaign folders in tests, good or deliberately broken."""
