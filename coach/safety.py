"""Indexed text is data, never instructions — and never lost.

What holds by construction, whatever a document says:
- Nothing is deleted. Every sentence stays in the index, in retrieval results and in the
  sources an answer cites; a flagged sentence is listed for review in the Learning Ops console.
- Passages reach a model fenced as data (`spotlight`): tags that could close or forge the fence
  are escaped, and a sentence that reads as addressed to an assistant is datamarked (its words
  joined by a marker) inside a labelled span the system prompt says is never to be followed.
- A draft that repeats a flagged sentence (its codes, links, or a run of its words) is not
  shown: the coach quotes the documents instead (`echoes_flagged`), and its quotes skip
  flagged sentences, so no document speaks through the coach.
- Only the person's own words are classified for hand-offs, so no document opens a ticket.

Which sentences are flagged (`is_suspicious`) is a judgement, made from the sentence's shape
rather than from a list of known attacks: it addresses an assistant; it is about the
conversation itself (your answers, the reader, the instructions above) rather than about the
world; it carries chat-template or tool markup; it asks for hidden configuration, a persona
without limits, someone's credentials, or the decoding of a payload. Ordinary imperatives
("ignore the old form", "raise a request with IT", "from now on, book rooms in the app") address
people about the world and are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coach.safety_lexicon import (
    ASK,
    CREDENTIALS,
    DIRECTIVE,
    EARLIER,
    EVERYTHING_BEFORE,
    INSTRUCTIONS,
    MACHINE,
    NEGATION,
    OUTPUT,
    OVERRIDE,
    PERSISTENT,
    READER,
    SAY,
    words,
)

# --- shapes -----------------------------------------------------------------------------------

_I = re.IGNORECASE
_MARKUP = re.compile(
    r"<\|[\w-]+\|>|\[/?inst\]|<</?sys>>|<\s*/?\s*(?:system|assistant|user|tool[\w-]*|"
    r"function[\w-]*|developer|im_start|im_end|document|documents|instructions?|context)\s*>"
    r"|\[/?\s*(?:system|assistant|user|tool[\w-]*|function[\w-]*|developer)\s*[\]:]"
    r"|^\s*#{0,4}\s*(?:system|assistant|user|human|ai|developer|tool)\s*(?:message|prompt)?\s*:"
    r"|[\"']role[\"']\s*:\s*[\"'](?:system|developer|tool|assistant)[\"']"
    r"|\b(?:begin|end) (?:of )?(?:the )?(?:system|hidden) (?:prompt|instructions|message)",
    _I | re.MULTILINE,
)
_ROLE_LABEL = re.compile(r"(?:^|[\"'(\[|]\s*)(?:SYSTEM|ASSISTANT|DEVELOPER)\s*:", re.MULTILINE)
_ADDRESSED = re.compile(
    rf"^\W*(?:dear |hey |hi |hello |attention,? )?{MACHINE}\s*[,:!|]"  # "Assistant, …"
    rf"|\b(?:to|for|pour|para|für|an|per|voor|dla|till)\s+(?:the |all |any |every )?"
    rf"{MACHINE}(?:\s+(?:tools?|systems?|agents?|models?))?\s*[:)]"  # "(… for AI tools):"
    rf"|\b(?:note|message|memo|reminder|notice|update|instructions?|guidance|directive|rules?|"
    rf"hinweis|nachricht|nota|note|aviso|mensaje|messaggio|mensagem|notitie|bericht|uwaga|"
    rf"wiadomość|meddelande|meddelanden)\b[^.\n]{{0,40}}?\b(?:to|for|pour|para|für|an|per|"
    rf"voor|dla|till|à)\b\s*(?:the |any |all |every |an? |la |le |l'|el |il |o |a |de |die |"
    rf"den |der |het )?{MACHINE}(?=\s*[:,(—–-]|\s+(?:reading|processing|only)\b)"
    rf"|\b(?:if|when|while) you(?:'re| are) (?:an? |the )?{MACHINE}"
    rf"|\byou,? (?:the |an? )?{MACHINE}"
    rf"|\bas an? (?:ai|assistant|language model)\b"
    rf"|(?:^|[\s(]){MACHINE}[^.\n]{{0,30}}?\b(?:reading|processing|summari[sz]ing|parsing|"
    rf"ingesting|answering|that reads|that processes)\b"
    rf"|{MACHINE}\s*(?:へ|に(?:告ぐ|対して))",
    _I | re.MULTILINE,
)
_MACHINE_MUST = re.compile(
    r"(?:^[\s*•|-]*|\b(?:the|this|any|every|all)\s+)(?:ai\s+)?(?:ai|assistant|model|bot|"
    r"chatbot|coach|llm|language model)s?\b"
    r"[^.\n]{0,20}?\b(?:must|should|shall|will|has to|have to|needs? to|is to|are to|"
    r"is required to)\b[^.\n]{0,15}?\b(?:(?:say|state|claim|write|add) that|respond|reply|"
    r"answer|output|tell (?:the |every |each |all )?(?:users?|readers?|employees?|everyone)|"
    r"recommend|mention)",
    _I,
)
_OVERRIDE_EARLIER = re.compile(
    rf"{OVERRIDE}\W+(?:\w+\W+){{0,4}}?(?:{EARLIER}\W+(?:\w+\W+){{0,2}}?{INSTRUCTIONS}\b"
    rf"(?!\s+(?:for|about|on|regarding|from|of|in)\b)|(?:your|deine|ihre|vos|tes|tus|sus|"
    rf"le tue|as suas|je|twoje|dina)\s+(?:\w+\s+)?(?:{INSTRUCTIONS}|rules|regeln|règles|"
    rf"reglas|regole|regras|regels|zasady|regler)\b|{EVERYTHING_BEFORE}|the above\b"
    rf"|{READER}'?s? (?:question|request|message|instructions?)\b"
    rf"|{INSTRUCTIONS}\s+(?:\w+\s+)?{EARLIER}(?!\w))"  # "les instructions précédentes"
    rf"|{EARLIER}\s*(?:の)?{INSTRUCTIONS}\s*(?:を|は)?\s*(?:無視|忘れ)"
    rf"|{INSTRUCTIONS}\s*(?:を)?\s*(?:無視|忘れ)",
    _I,
)
_VOID = words(
    r"out of date",
    r"outdated",
    r"obsolete",
    r"void",
    r"invalid",
    r"no longer (?:valid|applies|"
    r"apply|matters?)",
    r"superseded",
    r"cancel+ed",
    r"to be ignored",
    r"irrelevant",
    r"set aside",
    r"veraltet",
    r"ungültig",
    r"obsolète",
    r"caduc",
    r"obsoleto",
    r"no es válido",
    r"non (?:è|sono) più valid",
    r"não (?:é|são) mais válid",
    r"verouderd",
    r"nieaktualn\w*",
    r"föråldrad",
    r"無効",
    r"古い",
)
_EARLIER_VOID = re.compile(rf"{EVERYTHING_BEFORE}[^.\n]{{0,60}}?{_VOID}", _I)
# Output rules: what every answer must say, for someone other than its reader.
_OUTPUT_RULE = re.compile(
    rf"(?:\b(?:every|each|all|any) (?:of )?(?:your |the )?(?:future |subsequent |next )?{OUTPUT}"
    rf"|\byour (?:future |next |final |only |sole )?{OUTPUT}"
    rf"|\b(?:jede[nrs]?|chaque|cada|ogni|elk|każd\w+|varje|すべての)\s*{OUTPUT})",
    _I,
)
_ONLY = words(
    r"only",
    r"exclusively",
    r"solely",
    r"nothing else",
    r"nur",
    r"ausschließlich",
    r"uniquement",
    r"seulement",
    r"solo",
    r"únicamente",
    r"solamente",
    r"apenas",
    r"alleen",
    r"tylko",
    r"endast",
    r"bara",
    r"だけ",
    r"のみ",
)
_REPLY_ONLY = re.compile(
    rf"\b(?:reply|respond|answer|antworte|réponds|répondez|responde|rispondi|responda|"
    rf"antwoord|odpowiedz|odpowiadaj|svara)\w*\b[^.\n]{{0,40}}?(?:{_ONLY}|\b(?:every|each|any|"
    rf"all) (?:question|prompt|query|request)s?\b)",
    _I,
)
_AI_ACTS = re.compile(
    r"\byou (?:give|generate|produce|output|send back)\b"
    r"|\bin (?:your|the) (?:answer|reply|response|output)\b",
    _I,
)
_SPEAK_TO_READER = re.compile(rf"\b{SAY}\b[^.\n]{{0,25}}?{READER}", _I)
_CODE = re.compile(r"\b[A-Z][A-Z0-9]{2,}(?:[-_][A-Z0-9]+)+\b|\b[A-Z]+-\d{2,}\b")
_QUOTED = re.compile(r"[\"'“”‘’«»「」]")
_PERSONA = re.compile(
    rf"\byou are now (?:an?|the|in|my|free|unrestricted)\b|\byou are no longer (?:an?|bound|"
    rf"restricted|limited|required to follow)\b"
    rf"|\bact as (?:an? )?(?:unrestricted|unfiltered|different|new|"
    rf"evil|rogue|jailbroken)|\bpretend (?:to be|you are) (?:an? )?(?:unrestricted|different|"
    rf"{MACHINE})|\b(?:developer|god|jailbreak|dan) mode\b|\b(?:answer|respond|reply|act|"
    rf"operate|behave|speak|talk)\w* without (?:any )?(?:restrictions|filters|limits|rules|"
    rf"safeguards)\b"
    rf"|\byour new (?:role|name|persona|identity|instructions|task)\b"
    rf"|\bdu bist (?:jetzt|ab sofort)\b|\btu es (?:maintenant|désormais)\b"
    rf"|\b(?:ahora )?eres (?:ahora )?un\b|\bora sei\b|\bagora (?:você é|és)\b|\bje bent nu\b"
    rf"|\bjesteś teraz\b|\bdu är nu\b|今からあなたは|あなたは今",
    _I,
)
_REVEAL = re.compile(
    r"\b(?:reveal|show|print|repeat|output|disclose|display|share|dump|tell (?:me|us|the user))"
    r"\b[^.\n]{0,30}?\b(?:(?:your|its)\s+(?:full |entire |exact |hidden |secret |internal |"
    r"initial |original )*|the\s+(?:full |entire |exact )*(?:hidden|secret|internal|initial|"
    r"original|system)\s+)(?:system ?prompt|prompt|instructions|configuration|config|"
    r"guidelines|rules|settings|context window)\b"
    r"|\bsystem ?prompt\b|\bhidden (?:instructions|prompt|rules)\b"
    r"|\b(?:systemprompt|systemanweisung\w*|prompt (?:système|del sistema|do sistema)|"
    r"systeemprompt|prompt systemow\w*|systemprompt(?:en)?|システムプロンプト)",
    _I,
)
_HARVEST = re.compile(
    rf"\b{ASK}\s+(?:{READER}|them|everyone|employees|people|the person)\b[^.\n]{{0,30}}?"
    rf"{CREDENTIALS}|{CREDENTIALS}[^.\n]{{0,40}}?\b(?:send|email|"
    rf"forward|post|submit|paste|enter)\b[^.\n]{{0,30}}?(?:https?://|\S+@\S+|\bto us\b)",
    _I,
)
_PAYLOAD = re.compile(
    r"\b(?:decode|decrypt|deobfuscate|base64|rot13|unescape|dekodier\w*|décode\w*|decodific\w*|"
    r"decodeer\w*|zdekoduj|avkoda|デコード)\b[^\n]{0,80}?(?:follow|execute|run|obey|do|apply|"
    r"carry out|befolge|führe|exécute|suis|ejecuta|sigue|esegui|segui|execute|voer|wykonaj|"
    r"utför|följ|実行|従)",
    _I,
)
_BLOB = re.compile(r"(?<![/=\w.])[A-Za-z0-9+/]{40,}={0,2}(?![/\w])")


def _encoded_blob(sentence: str) -> bool:
    """A long base64-looking run (mixed case and digits): no prose, no hex checksum."""
    return any(
        re.search(r"[a-z]", b) and re.search(r"[A-Z]", b) and re.search(r"\d", b)
        for b in _BLOB.findall(sentence)
    )


_EXFILTRATE = re.compile(
    r"!\[[^\]]*\]\(\s*https?://[^)\s]*\?[^)\s]*=|\b(?:send|email|forward|post|upload|leak)\b"
    rf"[^.\n]{{0,40}}?\b(?:this conversation|(?:the )?chat (?:history|log|transcript)|"
    rf"{READER}'?s? (?:data|details|messages|history|question))",
    _I,
)
_ACT_FOR_READER = re.compile(
    r"\bon (?:the |their )?(?:user|reader|requester)'?s? behalf\b"
    r"|\bon behalf of (?:the )?(?:user|reader|requester)\b",
    _I,
)
_HIDDEN = re.compile(
    r"<!--(.*?)-->|<(?:span|div|p|font)[^>]*(?:display\s*:\s*none|visibility\s*:\s*hidden|"
    r"font-size\s*:\s*0|color\s*:\s*(?:#fff(?:fff)?|white)|opacity\s*:\s*0)[^>]*>(.*?)</",
    _I | re.DOTALL,
)


def _speaks_about_the_conversation(sentence: str) -> bool:
    """Rules for an assistant's own output, or words for it to say to its reader."""
    output_rule = bool(_OUTPUT_RULE.search(sentence))
    to_reader = bool(_SPEAK_TO_READER.search(sentence))
    ai_acts = bool(_AI_ACTS.search(sentence))
    persistent = bool(re.search(PERSISTENT, sentence, _I))
    payload = bool(_CODE.search(sentence)) or len(_QUOTED.findall(sentence)) >= 2
    if _REPLY_ONLY.search(sentence) and _CODE.search(sentence):
        return True
    if ai_acts and (output_rule or to_reader or persistent or payload):
        return True
    if output_rule and (persistent or payload or to_reader):
        return True
    return to_reader and (persistent or payload) and bool(re.search(DIRECTIVE, sentence, _I))


def is_suspicious(sentence: str) -> bool:
    """Whether a sentence of a document reads as addressed to an assistant rather than to
    people: it is then marked as data in prompts, never quoted, and listed for review."""
    if _MARKUP.search(sentence) or _ROLE_LABEL.search(sentence):
        return True
    if _ADDRESSED.search(sentence) or _MACHINE_MUST.search(sentence):
        return True
    if _OVERRIDE_EARLIER.search(sentence) or _EARLIER_VOID.search(sentence):
        return True
    if _PERSONA.search(sentence) or _REVEAL.search(sentence) or _PAYLOAD.search(sentence):
        return True
    if _encoded_blob(sentence):
        return True
    if _EXFILTRATE.search(sentence) or _ACT_FOR_READER.search(sentence):
        return True
    if _HARVEST.search(sentence) and not NEGATION.search(sentence):
        return True
    return _speaks_about_the_conversation(sentence)


looks_like_instruction = is_suspicious  # the name the evaluations and older callers know

# --- sentences --------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")


def split_sentences(text: str) -> list[str]:
    """Lines, then sentences within them: table rows and list items stay whole."""
    pieces: list[str] = []
    for line in text.split("\n"):
        pieces += [s for s in _SENTENCE_END.split(line) if s.strip()]
    return pieces


def _hidden_spans(text: str) -> list[str]:
    """Text a person reading the rendered page never sees (comments, invisible styling)."""
    return [
        (m.group(1) or m.group(2) or "").strip()
        for m in _HIDDEN.finditer(text)
        if (m.group(1) or m.group(2) or "").strip()
    ]


def _hidden_and_directive(span: str) -> bool:
    return bool(
        re.search(DIRECTIVE, span, _I)
        or re.search(MACHINE, span, _I)
        or _OUTPUT_RULE.search(span)
        or _SPEAK_TO_READER.search(span)
        or re.search(rf"\b{SAY}\b", span, _I)
    )


def suspicious_sentences(text: str) -> list[str]:
    """The sentences of `text` that read as addressed to an assistant, in order, for review.
    Text hidden from human readers (HTML comments, invisible styling) that gives directions
    counts as one such sentence."""
    found = [s.strip() for s in split_sentences(text) if is_suspicious(s)]
    for span in _hidden_spans(text):
        if _hidden_and_directive(span) and span not in found:
            found.append(span)
    return list(dict.fromkeys(found))


# --- spotlighting -----------------------------------------------------------------------------

MARK = "ˆ"  # joins the words of flagged text (datamarking): data, visibly not prose
FLAG_OPEN, FLAG_CLOSE = "⟦flagged as data: ", "⟧"
_FENCE_TAG = re.compile(r"<(\s*/?\s*(?:document|documents|system|instructions?)\b[^>]*)>", _I)


def escape_fences(text: str) -> str:
    """Fence tags and flag brackets inside a document can neither close nor forge a fence."""
    text = text.replace("⟦", "[[").replace("⟧", "]]")
    return _FENCE_TAG.sub(r"‹\1›", text)


def datamark(text: str) -> str:
    return MARK.join(text.split())


def spotlight(text: str) -> str:
    """The passage for a prompt: every word kept, fence tags escaped, and each flagged
    sentence datamarked inside a labelled span."""
    text = escape_fences(text)
    for sentence in sorted(suspicious_sentences(text), key=len, reverse=True):
        text = text.replace(sentence, f"{FLAG_OPEN}{datamark(sentence)}{FLAG_CLOSE}")
    return text


def unmark(text: str) -> str:
    """`spotlight` undone (but for escaped tags): for checking that nothing was lost."""
    text = text.replace(FLAG_OPEN, "").replace(FLAG_CLOSE, "")
    return text.replace(MARK, " ")


# --- the model's draft ------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_DISTINCT = re.compile(r"\d|https?://|@|[A-Z]{2,}.*[-_]|[-_].*[A-Z]{2,}")
SHINGLE = 5


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.lower().strip(".,;:!?\"'()[]«»“”") for w in text.split()]
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def echoes_flagged(draft: str, passages: Iterable[str]) -> bool:
    """Whether `draft` repeats a flagged sentence of the passages: one of its codes, numbers or
    links that the rest of the passages do not give, or a run of five of its words."""
    flagged: list[str] = []
    plain: list[str] = []
    for text in passages:
        marked = suspicious_sentences(text)
        flagged += marked
        rest = text
        for sentence in marked:
            rest = rest.replace(sentence, " ")
        plain.append(rest)
    if not flagged:
        return False
    ordinary = " ".join(plain)
    for sentence in flagged:
        for token in _TOKEN.findall(sentence):
            token = token.strip(".,;:!?\"'()[]«»“”<>")
            distinct = len(token) >= 4 and _DISTINCT.search(token) and token not in ordinary
            if distinct and token in draft:
                return True
    draft_shingles = _shingles(draft)
    return any(_shingles(sentence) & draft_shingles for sentence in flagged)


@dataclass(frozen=True)
class Flagged:
    """A sentence flagged for review, and where it is."""

    source: str
    title: str
    sentence: str


def review(chunks: Iterable[tuple[str, str, str]]) -> list[Flagged]:
    """Every flagged sentence of the indexed chunks (source, title, text), once per source."""
    seen: set[tuple[str, str]] = set()
    flagged: list[Flagged] = []
    for source, title, text in chunks:
        for sentence in suspicious_sentences(text):
            if (source, sentence) not in seen:
                seen.add((source, sentence))
                flagged.append(Flagged(source, title, sentence))
    return flagged


def quotable(sentences: Sequence[str]) -> list[str]:
    """The sentences a coach may quote as guidance: the flagged ones are left out."""
    return [s for s in sentences if not is_suspicious(s)]
