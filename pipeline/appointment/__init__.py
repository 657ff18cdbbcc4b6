"""任用: the committee's decisions (任职决定.xlsx), or the proposal the ranking makes without them."""
