"""Learning Ops Coach: the brain (retrieval, prompts, flows). No web framework imports here."""
