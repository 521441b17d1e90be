"""Self-organisation: people's interests grouped into topics, topics into sessions, sessions into
notes for the library, communities of practice, follow-through on plans, and how autonomous the
organisation is becoming. Plain use cases over the ports in `coach.community.ports`; no I/O
except through them, a clock and an id generator injected."""
