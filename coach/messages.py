"""What the coach says when it is not quoting a document."""

NOT_FOUND = (
    "I couldn't find anything about this in the Learning Ops playbooks or past session notes. "
    'Would you like me to pass your question to Learning Ops? Reply "yes" and I\'ll open a ticket.'
)
OFFER = 'Would you like me to pass this to Learning Ops? Reply "yes" and I\'ll open a ticket.'
TICKET_OPENED = (
    "I've opened ticket {ticket_id} for Learning Ops with a summary of our conversation. "
    "Someone from the team will get back to you; you can follow the ticket's status here."
)
TICKET_UPDATE = "Update on ticket {ticket_id}: it is {status}."
REDIRECTS = {
    "hr": "This sounds like a matter for HR rather than Learning Ops. {reason}",
    "wellbeing": (
        "I'm sorry you're dealing with this. I'm not the right help here, but the Employee "
        "Assistance Program is: it is confidential and independent of your manager. {reason} "
        "If you are in danger or crisis, contact your local emergency services now."
    ),
}
REDIRECT_QUERIES = {
    "hr": "HR People Partner for conflicts with a manager, contracts, performance and complaints",
    "wellbeing": "Employee Assistance Program: confidential support for stress, burnout, wellbeing",
}
OUT_OF_SCOPE = (
    "That's outside what I can help with: I'm the Learning Ops coach. I can answer questions "
    "about running sessions and the learning policies, draft a session plan or a personal "
    "learning plan, find colleagues who have run a session before, or put you in touch with "
    "Learning Ops."
)
MODEL_UNAVAILABLE = "The language model is unavailable right now, so I'm quoting the documents."
