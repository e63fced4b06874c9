"""The command line of contract.md §3. Qt-free commands never import Qt."""
