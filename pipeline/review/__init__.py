"""资格审查: the eligibility rules and the review of every application against them (pure, no I/O)."""
