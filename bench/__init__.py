"""`make bench`: threadline against Hugo, Pelican and MkDocs on the same synthetic articles."""
