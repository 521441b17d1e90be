"""Adapters: the coach's ports (coach.ports) implemented with outside technology.

Only the composition root (`wiring`) imports them; the use cases see the ports."""
