"""What the coach says in its own voice, in the organisation's own names (see coach.profile).

The product is "Learning Ops Coach"; the team it hands off to, HR and the employee support
service are whatever the organisation calls them.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.profile import OrganisationProfile

TICKET_UPDATE = "Update on ticket {ticket_id}: it is {status}."


@dataclass(frozen=True)
class Wording:
    profile: OrganisationProfile

    @property
    def team(self) -> str:
        return self.profile.team.name

    @property
    def offer(self) -> str:
        return (
            f'Would you like me to pass this to {self.team}? Reply "yes" and I\'ll open a ticket.'
        )

    def not_in_library(self, nearest: str | None, why: str = "") -> str:
        """No document answers: say so plainly, show the nearest thing covered, offer a person
        (saying `why` a person, when there is more to say than that)."""
        text = "I couldn't find that in your guides or past session notes."
        if nearest:
            text += f" The closest they cover is {nearest}."
        return f"{text} {why} {self.offer}" if why else f"{text} {self.offer}"

    def ticket_opened(self, ticket_id: str) -> str:
        return (
            f"I've opened ticket {ticket_id} for {self.team} with a summary of our conversation. "
            "Someone will get back to you; you can follow the ticket's status here."
        )

    @property
    def model_unavailable(self) -> str:
        return "The language model is unavailable right now, so I'm quoting the documents."

    @property
    def out_of_scope(self) -> str:
        return (
            "That's outside what I can help with: I'm your learning coach. I can answer "
            "questions about running sessions and learning policies, draft a session plan or a "
            "personal learning plan, find colleagues who have run a session before, or put you "
            f"in touch with {self.team}."
        )

    def reason(self, label: str) -> str:
        """Why a hand-off is suggested, for the labels of coach.intents."""
        reasons = {
            "person": f"You asked for a person in {self.team}.",
            # Whether the case is beyond the rule is for the person to say: the coach only
            # knows that it was asked for something like an exception.
            "policy_exception": (
                f"An exception to the documented policy can only be granted by {self.team}."
            ),
            "accommodation": (
                f"Accommodation requests are arranged personally by {self.team} so that they "
                "fit you."
            ),
            "hr": f"This is a matter for {self.profile.hr.name}, who can help with it.",
            "wellbeing": (
                f"{self.profile.wellbeing.name} offers confidential support, and talking to "
                "them is the right next step."
            ),
        }
        return reasons.get(label, "")

    def redirect(self, route: str, reason: str) -> str:
        if route == "hr":
            hr = self.profile.hr
            # The default reason says the same again; a specific one adds to it.
            extra = "" if reason == self.reason("hr") else reason
            return (
                f"This sounds like a matter for {hr.with_contact()} rather than {self.team}. "
                f"{extra}"
            ).strip()
        support = self.profile.wellbeing
        return (
            f"I'm sorry you're dealing with this. I'm not the right help here, but "
            f"{support.with_contact()} is: it is confidential and independent of your manager. "
            "If you are in danger or crisis, contact your local emergency services now."
        )

    def redirect_query(self, route: str) -> str:
        """What to search for to quote the organisation's own guidance on the redirect."""
        if route == "hr":
            return f"{self.profile.hr.name}: contracts, pay, leave, conflicts and complaints"
        return f"{self.profile.wellbeing.name}: confidential support for stress and wellbeing"

    def offer_plan(self, what: str) -> str:
        return f"Want me to draft a plan for your {what}?"

    @property
    def offer_learning_plan(self) -> str:
        return "Want me to draft a learning plan for it?"

    def exception_hint(self) -> str:
        return f"move the session, or ask {self.team} for an exception."
