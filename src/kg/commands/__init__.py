"""One module per ``kg`` command; each defines ``command``, a thin click wrapper over library functions."""
