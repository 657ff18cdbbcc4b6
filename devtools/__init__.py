"""Developer tools: synthetic campaigns, the sample's generators and the benchmark (not part of the runtime package)."""
