"""The papers of each step: a planner (which papers, from the campaign and its outcome) and their contexts."""
