"""Reading the campaign folder: campaign.toml and the clerk's workbooks, checked into typed, immutable records."""
