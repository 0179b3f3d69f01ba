"""One module per chapter template: the tables, figures and findings each page displays.

Importing this package first keeps each chapter notebook cheap to start: jsonschema (pulled in
by Altair) would otherwise import ``rfc3987_syntax``, which compiles a grammar for about three
seconds per kernel only to check IRI formats that chart specs never use. Marking it absent makes
jsonschema skip that optional format check.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
