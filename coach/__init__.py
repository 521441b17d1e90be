"""Learning Ops Coach: the brain (retrieval, prompts, flows), the use cases both doors call
(`coach.services`), the ports they need (`coach.ports`) and their SQL adapters
(`coach.adapters.sql`). No web framework imports here; see docs/architecture.md."""
