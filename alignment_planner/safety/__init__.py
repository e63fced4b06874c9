"""Input safety, below every layer: files opened only when regular and within a size limit
(``safe_open``), and outside text quoted safely inside messages (``quoting``). Both ``imaging``
and ``files`` read user files, and every layer writes messages (issue 16)."""
