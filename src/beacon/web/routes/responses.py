"""What every JSON API route declares: the error responses it documents, and the path type of a
record number."""
from __future__ import annotations

from typing import Annotated

from fastapi import Path

from beacon.schemas import WholeNumber

RecordId = Annotated[WholeNumber(1, 2**31 - 1), Path(description="The record's number")]
ERRORS = {400: {"description": "The body could not be read (not UTF-8 JSON)"}, 401: {"description": "Not signed in"}, 403: {"description": "Not allowed"},
          404: {"description": "No such record"}, 409: {"description": "Changed by someone else, or closed"},
          413: {"description": "Body too large"}, 422: {"description": "Invalid input; `errors` names each field"}}
