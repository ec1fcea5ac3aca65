"""API endpoints (see the module's routers)."""

from ninja import Router

router = Router(tags=["agreements"])
