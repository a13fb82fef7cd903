"""One APIRouter per resource: VC-API credentials, OpenID4VCI, well-known documents, status lists."""
