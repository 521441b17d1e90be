"""Reading an organisation's own words: quantities, the rules they state, and tables."""
