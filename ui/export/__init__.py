"""Qt renderings for files: the annotated PNG, the plan PDF and the command-line commands that draw."""
