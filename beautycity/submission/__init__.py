"""Reading submitted workbooks safely: checks before parsing, bounded opening, cell values."""
