"""X12 005010X212 claim status (276 request / 277 response) and 999 acknowledgements: a plain
Python library (no Django, no HTTP), used by the portal's gateway and by the sandbox."""
