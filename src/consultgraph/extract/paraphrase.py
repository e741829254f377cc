"""Lay-language paraphrases the dictionary cannot list: "my wrist is also swollen", "it hurts".

Patterns of the form <body part> <be/feel> <state adjective> and <state noun> <in/on/near> ..
<body part> become mentions of the state's concept (swelling, stiffness, pain, twitching),
or of the body-part-specific concept when the lexicon has one ("neck" + "swelling").
"""

from __future__ import annotations

import re

from consultgraph.extract.lexicon import Lexicon
from consultgraph.extract.matcher import Mention

BODY = (
    r"(?:head|face|eyes?|eyelids?|ears?|nose|mouth|lips?|tongue|throat|neck|shoulders?|arms?|elbows?|wrists?|hands?|"
    r"fingers?|chest|breasts?|heart|stomach|abdomen|belly|back|lower back|waist|hips?|legs?|thighs?|knees?|calf|calves|"  # noqa: E501
    r"ankles?|feet|foot|toes?|heels?|soles?|skin|scalp|gums?|teeth|tooth|jaw|joints?|muscles?|body|vision|sight|eyesight)"
)
STATE = {
    "swollen": "swelling",
    "puffy": "swelling",
    "stiff": "stiffness",
    "numb": "numbness",
    "itchy": "itching",
    "sore": "pain",
    "painful": "pain",
    "aching": "pain",
    "achy": "pain",
    "tender": "pain",
    "red": "redness",
    "blurry": "blurred vision",
    "blurred": "blurred vision",
    "dry": "dryness",
    "weak": "weakness",
    "tingling": "tingling",
    "tired": "fatigue",
    "clogged": "ear fullness",
    "blocked": "blocked",
    "bloated": "abdominal bloating",
    "twitching": "twitching",
    "trembling": "tremor",
    "shaking": "tremor",
    "burning": "burning sensation",
    "pale": "pallor",
    "swelled": "swelling",
    "cold": "cold extremities",
}
_STATE_SLUG = {
    "swelling": "swelling",
    "stiffness": "muscle-stiffness",
    "numbness": "numbness",
    "itching": "pruritus",
    "pain": "pain",
    "redness": "skin-redness",
    "blurred vision": "blurred-vision",
    "weakness": "generalized-weakness",
    "tingling": "paresthesia",
    "fatigue": "fatigue",
    "ear fullness": "ear-fullness",
    "abdominal bloating": "abdominal-bloating",
    "twitching": "muscle-twitching",
    "tremor": "tremor",
    "burning sensation": "paresthesia",
    "dryness": "dry-skin",
    "pallor": "pallor",
    "cold extremities": "cold-hands-and-feet",
}
_BE = r"(?:is|are|was|were|feels?|felt|became|becomes|gets?|got|has\s+been|have\s+been|seems?|looks?|turned|turns)"  # noqa: E501
_ADV = r"(?:\s+(?:also|very|a\s+bit|a\s+little|slightly|somewhat|quite|often|always|really|still|so|more|constantly|sometimes|now))*"  # noqa: E501
_PATTERN_ADJ = re.compile(
    r"\b(?:my|his|her|the|both|left|right|\s)*\b("
    + BODY
    + r")\s+"
    + _BE
    + _ADV
    + r"\s+("
    + "|".join(STATE)
    + r")\b",
    re.I,
)
_PATTERN_HURT = re.compile(
    r"\b(" + BODY + r"|it)\s+(?:still\s+|also\s+|sometimes\s+|often\s+)?(hurts?|hurt|aches?|ached)\b", re.I
)
_PATTERN_NOUN_SITE = re.compile(
    r"\b(pain|ache|swelling|numbness|itching|rash|twitching|tremors?|stiffness|weakness|lump|mass|ulcer|spasms?|soreness|"
    r"tightness|discomfort|heaviness)"
    r"\s+(?:\w+\s+){0,1}(?:in|on|of|around|near|at|over|under|behind)\s+(?:\w+\s+){0,6}?(" + BODY + r")\b",
    re.I,
)
_BODY_NORM = {
    "eyes": "eye",
    "eyelids": "eyelid",
    "ears": "ear",
    "hands": "hand",
    "legs": "leg",
    "feet": "foot",
    "wrists": "wrist",
    "knees": "knee",
    "ankles": "ankle",
    "arms": "arm",
    "fingers": "finger",
    "toes": "toe",
    "belly": "abdominal",
    "abdomen": "abdominal",
    "stomach": "abdominal",
    "lips": "lip",
    "joints": "joint",
    "muscles": "muscle",
    "breasts": "breast",
    "shoulders": "shoulder",
    "hips": "hip",
    "gums": "gum",
}


def _entry_for(lexicon: Lexicon, body: str, state: str):  # noqa: ANN202 - returns Entry | None
    """The site-specific concept when the lexicon knows one ("neck swelling"), else the state's."""
    part = _BODY_NORM.get(body.lower(), body.lower())
    if part == "it":
        part = ""
    for phrase in (f"{part} {state}".strip(), f"{state} in {part}", f"{part} {state.rstrip('s')}"):
        entry = lexicon.lookup(phrase)
        if entry is not None and entry.kind == "symptom":
            return entry
    if state == "blurred vision" and part not in ("eye", "vision", "sight", "eyesight"):
        return None
    slug = _STATE_SLUG.get(state)
    if slug:
        return lexicon.entries.get(("symptom", slug))
    entry = lexicon.lookup(state)
    return entry if entry is not None and entry.kind == "symptom" else None


# A lesion the asker watches (mole, lump, nodule, nail line): "its size has not changed",
# "hasn't noticeably increased", "has not grown", "without any changes", "no significant changes".
_LESION_UNCHANGED = re.compile(
    r"\b(?:(?:its|the|their)\s+size\s+(?:has|have|had|is|was)\s*(?:not|n't|never)\s+(?:\w+ly\s+)?"
    r"(?:changed|increased|grown|enlarged)|(?:has|have|had)\s*(?:not|n't|never)\s+(?:\w+ly\s+)?"
    r"(?:grown|been\s+growing|gotten\s+bigger|become\s+(?:bigger|larger)|enlarged)"
    r"(?:\s+(?:larger|bigger))?)",
    re.I,
)
_LESION_NO_CHANGE = re.compile(
    r"\b(?:without\s+any|with\s+no|without|no)\s+(?:\w+\s+)?(?:significant|obvious|noticeable|visible|apparent)?\s*"
    r"changes?\b",
    re.I,
)
# Menstrual timing told as a state: "my period is already two days late", "it has been delayed
# for 4 days", "my menstrual cycle is not very regular".
_PERIOD = r"(?:period|periods|menstruation|menses|menstrual\s+cycle|menstrual\s+period|cycle)"
_PERIOD_LATE = re.compile(
    r"\b"
    + _PERIOD
    + r"\s+(?:is|was|has\s+been|had\s+been|are|were)\s+(?:\w+\s+){0,4}?(?:late|delayed|overdue)\b",
    re.I,
)
_PERIOD_IRREGULAR = re.compile(
    r"\b"
    + _PERIOD
    + r"\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?:\w+\s+)?(?:not\s+(?:very\s+|quite\s+)?"
    r"regular|irregular)\b",
    re.I,
)


# A body part and a verb of what it does: "my lips swelled", "my heart races", "my skin itches".
_VERB_STATE = {
    "swell": "swelling",
    "swells": "swelling",
    "swelled": "swelling",
    "swelling": "swelling",
    "itch": "itching",
    "itches": "itching",
    "itched": "itching",
    "tingle": "tingling",
    "tingles": "tingling",
    "tingled": "tingling",
    "twitch": "twitching",
    "twitches": "twitching",
    "twitched": "twitching",
    "tremble": "tremor",
    "trembles": "tremor",
    "shake": "tremor",
    "shakes": "tremor",
    "throb": "pain",
    "throbs": "pain",
    "throbbed": "pain",
    "burns": "burning sensation",
    "bleed": "bleeding",
    "bleeds": "bleeding",
    "bled": "bleeding",
}
_PATTERN_VERB = re.compile(
    r"\b("
    + BODY
    + r")\s+(?:still\s+|also\s+|sometimes\s+|often\s+|always\s+|easily\s+|up\s+)?("
    + "|".join(_VERB_STATE)
    + r")\b(?!\s+(?:me|him|her|it))",
    re.I,
)
_HEART_RACES = re.compile(
    r"\bheart\s+(?:\w+\s+)?(?:races|raced|racing|pounds|pounded|flutters|fluttered|beats\s+(?:fast|quickly|rapidly|hard))\b",
    re.I,
)
# Weight told as a change: "I have lost 6 kg in three months", "gained 8 kilograms".
_WEIGHT = re.compile(
    r"\b(lost|losing|lose|gained|gaining|gain|put\s+on)\s+(?:about\s+|almost\s+|nearly\s+|over\s+|more\s+than\s+)?"
    r"(?:\d+(?:\.\d+)?|a\s+few|several|some|a\s+lot\s+of)\s*(?:kg|kgs|kilograms?|kilos?|pounds?|lbs?|catties)\b",
    re.I,
)
# Appetite told as a state: "my appetite is poor", "I have lost my appetite".
_APPETITE = re.compile(
    r"\b(?:appetite\s+(?:is|has\s+been|was|became)\s+(?:\w+\s+)?(?:poor|bad|reduced|decreased|worse|gone)|"
    r"(?:lost|lose|losing)\s+(?:my|his|her|the)?\s*appetite)\b",
    re.I,
)
# Voiding complaints in lay words: "burning when I pee", "it hurts when urinating".
_URINATION = r"(?:pee|peeing|urinate|urinating|urination|passing\s+urine|go\s+to\s+the\s+(?:toilet|bathroom))"
_DYSURIA = re.compile(
    r"\b(?:burning|pain|painful|stinging|sting|stings|hurts?)\s+(?:\w+\s+)?(?:when|while|during|after)\s+(?:I\s+|he\s+|she\s+)?"
    + _URINATION
    + r"\b",
    re.I,
)
_FREQUENCY = re.compile(
    r"\b(?:need|have|had|needs|has)\s+to\s+"
    + _URINATION
    + r"\s+(?:every\s+(?:half\s+an?\s+|few\s+|\w+\s+)?(?:hour|hours|minutes)|"
    r"(?:very\s+)?(?:often|frequently))\b",
    re.I,
)


def lay_mentions(lexicon: Lexicon, text: str, start: int, end: int, mentions: list[Mention]) -> list[Mention]:
    """Add paraphrase mentions to dictionary mentions; a paraphrase replaces the words it covers."""
    found: list[Mention] = []
    chunk = text[start:end]
    for m in _PATTERN_ADJ.finditer(chunk):
        entry = _entry_for(lexicon, m.group(1), STATE[m.group(2).lower()])
        if entry is not None:
            found.append(Mention(start + m.start(1), start + m.end(2), entry, "paraphrase"))
    for m in _PATTERN_HURT.finditer(chunk):
        entry = _entry_for(lexicon, m.group(1), "pain")
        if entry is not None:
            found.append(Mention(start + m.start(1), start + m.end(2), entry, "paraphrase"))
    for m in _PATTERN_NOUN_SITE.finditer(chunk):
        noun = m.group(1).lower()
        state = {"ache": "pain", "soreness": "pain", "tremors": "tremor", "spasms": "spasm"}.get(noun, noun)
        entry = _entry_for(lexicon, m.group(2), state)
        if entry is not None and entry.slug not in ("pain", "swelling", "lump", "muscle-twitching"):
            found.append(Mention(start + m.start(1), start + m.end(2), entry, "paraphrase"))
    for m in _PATTERN_VERB.finditer(chunk):
        entry = _entry_for(lexicon, m.group(1), _VERB_STATE[m.group(2).lower()])
        if entry is not None:
            found.append(Mention(start + m.start(1), start + m.end(2), entry, "paraphrase"))
    for pattern, slug in (
        (_HEART_RACES, "palpitations"),
        (_APPETITE, "loss-of-appetite"),
        (_DYSURIA, "painful-urination"),
        (_FREQUENCY, "frequent-urination"),
    ):
        entry = lexicon.entries.get(("symptom", slug))
        for m in pattern.finditer(chunk) if entry is not None else ():
            found.append(Mention(start + m.start(), start + m.end(), entry, "paraphrase"))
    for m in _WEIGHT.finditer(chunk):
        slug = "weight-gain" if m.group(1).lower().startswith(("gain", "put")) else "weight-loss"
        entry = lexicon.entries.get(("symptom", slug))
        if entry is not None:
            found.append(Mention(start + m.start(), start + m.end(), entry, "paraphrase"))
    lesion_words = re.search(
        r"\b(?:mole|moles|lump|nodule|mass|spot|growth|nail|line|lesion|cyst)\b", chunk, re.I
    )
    if lesion_words:
        for pattern, slug in (
            (_LESION_UNCHANGED, "lesion-enlargement"),
            (_LESION_NO_CHANGE, "lesion-change"),
        ):
            entry = lexicon.entries.get(("symptom", slug))
            for m in pattern.finditer(chunk) if entry is not None else ():
                found.append(Mention(start + m.start(), start + m.end(), entry, "denied-paraphrase"))
    for pattern, slug in (
        (_PERIOD_LATE, "delayed-menstruation"),
        (_PERIOD_IRREGULAR, "irregular-menstrual-cycle"),
    ):
        entry = lexicon.entries.get(("symptom", slug))
        for m in pattern.finditer(chunk) if entry is not None else ():
            found.append(Mention(start + m.start(), start + m.end(), entry, "paraphrase"))
    if not found:
        return mentions
    out = list(mentions)
    for p in sorted(found, key=lambda x: x.start - x.end):
        overlapping = [m for m in out if m.start < p.end and p.start < m.end]
        if any(m.source != "lexicon" for m in overlapping):
            continue
        if any(m.entry.kind != "symptom" for m in overlapping):
            continue
        if any((m.end - m.start) >= (p.end - p.start) for m in overlapping):
            continue
        out = [m for m in out if m not in overlapping] + [p]
    out.sort(key=lambda m: m.start)
    return out
