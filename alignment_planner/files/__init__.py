"""Plan files read and written (contract.md §2), atomic writes, anonymised export."""
