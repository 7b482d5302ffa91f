"""The JSON API's domain side (``/api/v1``): keys and scopes of the systems that call it, kept
answers for ``Idempotency-Key``, cursor pages, and the reads and writes it offers (which go
through the same services as the pages, so the rules stay in one place)."""
