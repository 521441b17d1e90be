"""The words around a quantity that say what a sentence does with it.

These are the comparison, time and approval words of English grammar, not any organisation's
vocabulary: "at most", "no later than", "before", "per", "approved by". Each pattern is a
small class of words, matched on normalised text (numbers already digits).
"""

from __future__ import annotations

import re


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


# A limit from above: "at most", "up to", "must not exceed", "under", "capped at", "≤".
AT_MOST = _words(
    r"\bat\s+(?:the\s+)?(?:very\s+)?most\b",
    r"\bup\s+to\b",
    r"\bno\s+(?:more|longer|later)\s+than\b",
    r"\bnot\s+(?:more|longer)\s+than\b",
    r"\bmaximum\b",
    r"\bmax\b\.?(?=\s*[:\d(])",
    r"\bno\s+(?:larger|bigger|longer)\s+than\b",
    r"\b(?:must|should|may|can|will)\s*"
    r"(?:not|n't)\s+(?:exceed|run\s+(?:past|over|beyond|longer)|go\s+(?:past|over|beyond)|"
    r"last\s+longer|be\s+longer|take\s+longer|overrun)",
    r"\bshouldn't\b|\bmustn't\b|\bcan't\b",
    r"\bnot\s+exceed\b",
    r"\bexceed(?:ing)?\b",
    r"\bunder\b",
    r"\bless\s+than\b",
    r"\bwithin\b",
    r"\blimit(?:ed)?\s+(?:to|at|of)\b",
    r"\blimit\b",
    r"\bcap(?:ped|s)?\b",
    r"\btops\b",
    r"\bor\s+(?:less|fewer|shorter)\b",
    r"\bbelow\b",
    r"\bkeep\b",
    r"\bceiling\b",
    r"≤|<=",
    r"\bthe\s+most\b",
    r"\bbeyond\s+that\b",
    r"\bno\s+bigger\s+than\b",
    r"\bonly\b",
)
# A limit from below: "at least", "no less than", "a minimum of", "≥".
AT_LEAST = _words(
    r"\bat\s+least\b",
    r"\bminimum\b",
    r"\bmin\b\.?(?=\s*[:\d(])",
    r"\bno\s+(?:less|shorter|fewer|sooner)\s+than\b",
    r"(?:\bnot|n't|\bno|\bnever)\b[^.,;]{0,25}\b(?:shorter|less|fewer|briefer)\s+than\b",
    r"(?:\bnot|n't)\s+(?:wrap|end|finish|stop|close)(?:\s+up)?\s+before\b",
    r"\bnot\s+(?:less|shorter|fewer)\s+than\b",
    r"\bor\s+(?:more|longer)\b",
    r"≥|>=",
    r"\bupwards\s+of\b",
)
# A lead time: something done some time before the day.
BEFORE = _words(
    r"\bbefore\b",
    r"\bahead\b",
    r"\bin\s+advance\b",
    r"\bprior\b",
    r"\bbeforehand\b",
    r"\bnotice\b",
    r"\bearlier\b",
    r"\bearly\b",
    r"\blead[\s-]time\b",
    r"\bout\b(?=[^.]*\b(?:from|before)\b)",
)
AFTER = _words(r"\bafter\b", r"\bfollowing\b", r"\bafterwards\b")
EVERY = _words(r"\bevery\b", r"\beach\b")
PER_WEEK = _words(r"(?:\b(?:per|a|each|every)|/)\s*(?:1\s+)?week\b", r"\bweekly\b")
RATE_WORDS = {
    "weekly": 1.0, "every week": 1.0, "once a week": 1.0, "fortnightly": 2.0,
    "twice a month": 2.0, "every 2 weeks": 2.0, "monthly": 4.0, "once a month": 4.0,
    "every month": 4.0, "every 1 month": 4.0, "quarterly": 13.0, "once a quarter": 13.0,
}  # fmt: skip
FREQUENCY = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, RATE_WORDS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# Who approves: "approved by", "signs off", "needs X's OK", "ask X".
APPROVAL = _words(
    r"\bapprov",
    r"\bsign(?:ed|s)?[\s-]?off\b",
    r"\bauthori[sz]",
    r"\bok(?:ay)?(?:ed)?\b",
    r"\bgreen[\s-]light\b",
    r"\bpermission\b",
    r"\bsay[\s-]so\b",
    r"\bblessing\b",
    r"\bask\b",
    r"\bcheck\s+with\b",
    r"\bgoes\s+to\b",
    r"\bescalat",
    r"\bclear(?:ed)?\s+(?:it\s+)?with\b",
)
ABOVE = _words(
    r"\babove\b",
    r"\bover\b",
    r"\bmore\s+than\b",
    r"\bbeyond\b",
    r"\bexceed",
    r"\bhigher\b",
    r"\bnorth\s+of\b",
    r"\blarger\b",
    r"\bbigger\b",
    r"\bin\s+excess\s+of\b",
)
# "Anything higher needs X" continues the previous sentence's threshold.
ANAPHORIC_ABOVE = re.compile(
    r"^\s*(?:anything|amounts?|fees?|costs?|spend(?:ing)?|requests?)?\s*(?:higher|above|over|more|"
    r"beyond|larger|bigger)\b|^\s*(?:above|beyond|over)\s+(?:that|this)\b",
    re.IGNORECASE,
)
PER_PERSON = _words(
    r"\bper\s+(?:attendee|person|head|participant|guest|employee|member|learner|delegate|"
    r"colleague|seat|cover)\b",
    r"\ba\s+head\b",
    r"\beach\b",
    r"\bapiece\b",
    r"\bper\s+capita\b",
)
PER_YEAR = _words(
    r"\bper\s+(?:year|annum|calendar\s+year|financial\s+year)\b",
    r"\ba\s+year\b",
    r"\bannual(?:ly)?\b",
    r"\byearly\b",
    r"\beach\s+year\b",
    r"\bevery\s+year\b",
    r"/\s*y(?:ea)?r\b",
)
BUDGET_WORDS = _words(
    r"\bbudget",
    r"\ballowance",
    r"\bstipend",
    r"\bfund",
    r"\bcover",
    r"\breimburs",
    r"\bpay",
    r"\bspend",
    r"\bcap",
    r"\bentitle",
    r"\bgrant",
)
# Someone who runs a hands-on group: "per facilitator", "one trainer for every 15".
FACILITATOR = (
    r"(?:facilitators?|trainers?|hosts?|coaches|coach|instructors?|mentors?|tutors?|helpers?|"
    r"leaders?|moderators?|proctors?|teachers?|presenters?|organi[sz]ers?|staff\s+members?)"
)
PER_FACILITATOR = re.compile(
    rf"\b(?:per|for\s+each|for\s+every|to\s+(?:each|every|one|1)|each)\s+(?:\w+\s+)?{FACILITATOR}\b",
    re.IGNORECASE,
)
FACILITATOR_FOR = re.compile(
    rf"\b(?:1|one|a|each)\s+(?:\w+\s+)?{FACILITATOR}\s+(?:per|for\s+every|for\s+each|to\s+every|"
    r"for)\s+(?:(?:up\s+to|at\s+most)\s+)?(?P<num>\d+)",
    re.IGNORECASE,
)
RATIO = re.compile(r"\b1\s*:\s*(?P<num>\d+)\b")
MODERATOR = _words(r"\bmoderator", r"\bco-?hosts?\b", r"\bproducer\b")
PRACTICE = _words(
    r"\bhands[\s-]on\b",
    r"\bpractic",
    r"\bexercises?\b",
    r"\bdoing\b",
    r"\bkeyboard\b",
    r"\bactivit",
    r"\binteractive\b",
    r"\bbuilding\b",
    r"\blab\s+work\b",
)
BREAK = _words(
    r"\bbreaks?\b", r"\bpause", r"\bbreather", r"\bstretch\b", r"\brest\b", r"\bintermission"
)
# A capacity: "holds 30", "seats 40", "room for 12", "capped at 40", "headcount".
HOLDS = _words(
    r"\bholds?\b",
    r"\bseats?\b",
    r"\bfits?\b",
    r"\broom\s+for\b",
    r"\bcapacity\b",
    r"\baccommodates?\b",
    r"\btakes?\b",
    r"\bheadcount\b",
    r"\battendance\b",
    r"\bgroup\s+size\b",
    r"\bsign[\s-]?ups?\b",
    r"\bregistrations?\b",
    r"\bin[\s-]person\b",
    r"\bon[\s-]site\b",
)
# What happened once is not a rule: past-tense narration without a rule's words.
NARRATIVE = _words(
    r"\blast\s+(?:year|month|week|time|term|quarter|spring|summer|autumn|fall|winter|season)\b",
    r"\bago\b",
    r"\byesterday\b",
    r"\bin\s+(?:19|20)\d\d\b",
    r"\bwas\b",
    r"\bwere\b",
    r"\bran\b",
    r"\blasted\b",
    r"\battended\b",
    r"\bcame\b",
    r"\bjoined\b",
    r"\bturned\s+up\b",
    r"\bshowed\s+up\b",
    r"(?<!be )(?<!been )\bspent\b",
    r"\btook\b",
    r"(?<!will )(?<!may )\bcost\b(?!s)",
    r"\bhad\b",
    r"\bsigned\s+up\b",
    r"\bcrammed\b",
    r"\bused\s+to\b",
    r"\bonce\b(?!\s+(?:a|every|per|1))",
    r"\bhave\s+(?:run|hosted|held)\b",
    r"\bwe've\b",
    r"\bsold\s+out\b",
)
NORMATIVE = _words(
    r"\bmust\b",
    r"\bshould\b",
    r"\bneeds?\b",
    r"\brequire",
    r"\bhave\s+to\b",
    r"\bhas\s+to\b",
    r"\bmay\b",
    r"\bcan\b",
    r"\bcannot\b",
    r"\bcan't\b",
    r"\bplease\b",
    r"\bnever\b",
    r"\balways\b",
    r"\bat\s+(?:the\s+)?(?:very\s+)?(?:most|least)\b",
    r"\bup\s+to\b",
    r"\bno\s+more\b",
    r"\bmax",
    r"\bmin",
    r"\blimit",
    r"\bcap",
    r"\bkeep\b",
    r"\bbook\b",
    r"\border\b",
    r"\bplan\b",
    r"\baim\b",
    r"\ballowed\b",
    r"\bentitled\b",
    r"\bper\b",
    r"\bis\s+limited\b",
    r"\bget\b",
    r"\bare\b",
    r"\bis\b",
    r"\blasts?\b",
    r"\bruns?\b",
    r"\bholds?\b",
    r"\bseats\b",
    r"\bgo\b",
)
CONDITION = re.compile(
    r"\b(?:if|when|whenever|once|for)\s+(?:\w+\s+){0,3}(?:more\s+than|over|above|beyond|"
    r"exceeds?|larger\s+than|bigger\s+than|longer\s+than)\b|\bunless\b|\bif\b|"
    r"\b(?:above|over|more\s+than|beyond|exceeding|in\s+excess\s+of)\s+(?:[€£$]|[A-Z]{3}\s)?\d",
    re.IGNORECASE,
)
# The parts of a session, as opposed to the whole: its length is not the session's.
PART = _words(
    r"\bq\s*&\s*a\b",
    r"\bquestions?\b",
    r"\bdiscussion\b",
    r"\bintro(?:duction)?s?\b",
    r"\bopening\b",
    r"\bwelcome\b",
    r"\bwarm[\s-]?ups?\b",
    r"\bice[\s-]?breakers?\b",
    r"\bdemos?\b",
    r"\brounds?\b",
    r"\bwrap-ups?\b",
    r"\bclosing\b",
    r"\brecap\b",
    r"\bsegments?\b",
    r"\bportion\b",
    r"\bpart\b",
    r"\bpresenting\b",
    r"\bspeaking\b",
    r"\btalking\b",
    r"\bslot\s+for\b",
    r"\bnetworking\b",
    r"\bpitch(?:es)?\b",
    r"\bset[\s-]?up\b",
    r"\bkeynote\b",
    r"\bpre-?work\b",
    r"\bhomework\b",
    r"\breading\b",
    r"\bfirst\s+\d+\b",
    r"\blast\s+\d+\b",
    r"\bof\s+(?:talk|"
    r"talking|presentation|slides|lecture|content)\b",
    r"\bexercise\b",
    r"\bactivity\b",
)
# A whole session's length is stated by these verbs even without a comparison word.
LENGTH_VERB = _words(
    r"\blasts?\b",
    r"\bruns?\b",
    r"\btakes?\b",
    r"\blong\b",
    r"\blength\b",
    r"\bduration\b",
    r"\bslots?\b",
    r"\bsessions?\s+of\b",
    r"-minute\b",
    r"-hour\b",
)
# The action a lead time is for, by its verb.
ACTIONS: list[tuple[str, re.Pattern[str]]] = [
    ("approval", _words(r"\bapprov", r"\bsign[\s-]?off\b", r"\bauthori[sz]", r"\bpurchase")),
    ("order catering", _words(r"\border", r"\bcater", r"\bfood\b", r"\blunch\b", r"\bsnacks?\b")),
    ("book", _words(r"\bbook", r"\breserv", r"\block\s+in\b", r"\bhold\b", r"\bsecure\b")),
    ("announce", _words(r"\bannounc", r"\badverti[sz]", r"\bpublish", r"\bpost", r"\bpromot",
                        r"\binvit", r"\bcalendar\b", r"\bboard\b", r"\bdigest\b", r"\bnews")),
    ("register", _words(r"\bregist", r"\bsign[\s-]?up", r"\benrol")),
    ("send", _words(r"\bsend", r"\bshare", r"\bsubmit", r"\bupload", r"\bdistribut")),
    ("confirm", _words(r"\bconfirm")),
    ("request", _words(r"\brequest", r"\bask\b", r"\barrange")),
]  # fmt: skip
