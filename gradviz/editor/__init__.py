"""The script editor dock: a Python editor with line numbers, marks and inline errors."""
