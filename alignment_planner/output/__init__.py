"""What is printed: table rows, machine records (JSON, CSV), report content, number formatting."""
