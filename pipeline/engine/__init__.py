"""The document engine: render, check, merge, convert, split, bundle, stage and record. Knows nothing of 竞争上岗."""
