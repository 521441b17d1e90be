from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from coach.services import Services


async def get_services(request: Request) -> Services:  # no thread hop: nothing blocks
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
