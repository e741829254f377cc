"""Morphology and noun-compound rules for tests, treatments, drugs and conditions no lexicon lists.

A lexicon can never be complete for "<organ> + modality" tests ("prostate biopsy", "knee MRI"),
named tests ("Dix-Hallpike test"), "<site> + procedure" treatments ("meniscus repair",
"carpal tunnel injection"), drug names by their INN stem ("-sartan", "-prazole") or surgical
suffixes ("-ectomy"). These rules build a concept from the words themselves; a dictionary mention
always wins unless the rule's phrase strictly contains it and names the same kind of thing.
"""

from __future__ import annotations

import re

from consultgraph.extract.lexicon import Entry, Lexicon
from consultgraph.extract.matcher import Mention

# Organs and body sites that head a test or a procedure ("thyroid ultrasound", "knee MRI").
ORGAN = (
    r"(?:brain|head|skull|sinus|sinuses|nasal|nose|ear|eye|eyes|retinal|corneal|orbital|dental|tooth|teeth|jaw|"
    r"neck|thyroid|throat|laryngeal|vocal\s+cord|chest|lung|lungs|pulmonary|heart|cardiac|coronary|carotid|breast|"
    r"abdominal|abdomen|liver|hepatic|gallbladder|pancreas|pancreatic|spleen|stomach|gastric|bowel|colon|rectal|"
    r"anal|kidney|kidneys|renal|bladder|urinary\s+tract|prostate|prostatic|testicular|scrotal|pelvic|uterine|"
    r"ovarian|cervical|vaginal|endometrial|spine|spinal|lumbar|thoracic|sacral|hip|knee|knees|shoulder|elbow|"
    r"wrist|hand|finger|ankle|foot|heel|leg|arm|joint|bone|muscle|nerve|skin|nail|scalp|lymph\s+node|"
    r"vascular|venous|arterial|meniscus|meniscal|ligament|tendon|rotator\s+cuff|carpal\s+tunnel|cartilage)"
)
_MODALITY = (
    r"(?:ultrasound|ultrasonography|sonography|echo|X-rays?|x-rays?|radiographs?|CT(?:\s+scans?)?|MRI(?:\s+scans?)?|"
    r"MR\s+imaging|scans?|biops(?:y|ies)|endoscopy|function\s+tests?|examinations?|exams?|cultures?|smears?|"
    r"aspiration|angiography|Doppler|scintigraphy)"
)
_ORGAN_TEST = re.compile(r"\b" + ORGAN + r"\s+(?:" + ORGAN + r"\s+)?" + _MODALITY + r"\b", re.I)
_MODALITY_OF = re.compile(
    r"\b(?:ultrasound|X-ray|x-ray|CT|MRI|biopsy|examination|endoscopy)\s+of\s+(?:the\s+)?" + ORGAN + r"\b",
    re.I,
)
# A named test: "Dix-Hallpike test", "bronchodilator test", "urea breath test", "KOH test",
# "patch testing". The word before "test" must be a name or a clinical noun, never a
# determiner or an everyday word ("the test", "this test", "a simple test").
_NAMED_TEST = re.compile(
    r"\b((?:[A-Z][A-Za-z0-9-]*|[a-z]+(?:-[a-z]+)?)(?:\s+(?:[A-Z][A-Za-z0-9-]*|[a-z]+))?)\s+(tests?|testing)\b"
)
_NOT_TEST_WORD = re.compile(
    r"^(?:the|a|an|this|that|these|those|any|some|no|another|other|further|more|simple|quick|first|second|"
    r"follow|same|new|my|your|his|her|their|our|its|which|what|each|every|such|one|two|three|do|did|does|"
    r"to|of|for|in|on|at|and|or|by|with|a\s+\w+|home|positive|negative|normal|abnormal|recent|previous|"
    r"pregnancy|blood|urine|stool|swab|rapid|screening|lab|laboratory|medical|diagnostic|additional|"
    r"several|many|all|both|relevant|necessary|appropriate|initial|repeat|repeated|certain|specific|routine|"
    r"regular|annual|detailed|comprehensive|related|basic|general|standard|initial|last|next|I|we|you|he|"
    r"she|they|it|was|were|is|are|be|been|had|have|has|will|would|should|can|could|may|might|must|get|got|"
    r"take|took|taken|do|done|did|undergo|underwent|arrange|pass|passed|fail|failed|stress|hearing|"
    r"allergy|allergen|skin|eye|vision|thyroid|liver|kidney|function|genetic|gene|DNA|HIV|STD|COVID|PCR|flu)$",
    re.I,
)
# An adjective before "test" describes it ("accurate testing", "invasive test"), names nothing.
_ADJECTIVE = re.compile(r"^[a-z]+(?:ate|ful|ive|ous|al|ic|ible|able|ent|ant|ly|ed|ing|less|est|er)$")
# Procedures named by their site: "meniscus repair", "polyp removal", "thyroid surgery",
# "knee injection", "plantar fascia release".
_PROCEDURE = (
    r"(?:surgery|surgeries|repair|removal|resection|excision|reconstruction|replacement|release|"
    r"decompression|fusion|injections?|ablation|drainage|implant|implants|transplant|fixation)"
)
_SITE_TREATMENT = re.compile(r"\b" + ORGAN + r"\s+(?:[a-z]+\s+)?" + _PROCEDURE + r"\b", re.I)
# Appliances and topical forms named by what they are for or made of: "knee brace",
# "heel insoles", "steroid cream", "antibiotic eye drops", "nasal spray".
_FORM = re.compile(
    r"\b((?:[a-z]+(?:-[a-z]+)?\s+){0,2}?)(braces?|splints?|insoles?|orthoses|orthotics?|"
    r"creams?|ointments?|gels?|lotions?|eye\s+drops|ear\s+drops|nasal\s+sprays?|sprays?|patch(?:es)?|"
    r"suppositor(?:y|ies)|mouthwash(?:es)?|inhalers?)\b",
    re.I,
)
_FORM_MODIFIER = re.compile(
    r"^(?:knee|wrist|ankle|back|neck|elbow|heel|arch|night|thumb|finger|shoulder|lumbar|cervical|"
    r"steroid|corticosteroid|hydrocortisone|antibiotic|antifungal|antiviral|antihistamine|anti-inflammatory|"
    r"numbing|lidocaine|capsaicin|pain|pain-relief|moisturizing|moisturising|barrier|zinc|retinoid|"
    r"silicone|gel|orthopedic|custom|pressure-lowering|lubricating|nasal|saline|steroid-based|topical|"
    r"nicotine|hormone|estrogen|contraceptive|inhaled|steroid\s+nasal|glaucoma|allergy|"
    r"(?:\w+(?:prazole|sone|olone|cort|azole|afine|mycin|cillin|caine|vir|olol|terol|asone|ide)))$",
    re.I,
)
# Surgical and drug-name morphology for single words the lexicon lacks.
_SURGICAL = re.compile(r"^[a-z]{3,}(?:ectomy|ectomies|otomy|ostomy|plasty|pexy|rrhaphy|tripsy)$", re.I)
_DRUG_STEM = re.compile(
    r"^[a-z]{3,}(?:prazole|tidine|olol|pril|sartan|dipine|statin|cillin|mycin|floxacin|cycline|conazole|"
    r"nidazole|ciclovir|clovir|mab|nisolone|olone|methasone|asone|azepam|zolam|triptan|afil|gliptin|"
    r"gliflozin|glitazone|formin|oxetine|opram|traline|faxine|tyline|pramine|setron|dronate|lukast|terol|"
    r"tropium|fenac|profen|peridol|quetiapine|apine|idone|tizine|atadine|semide|thiazide|xaban|gatran|"
    r"grel|tinib|parin|oxacin|afine|osin|zosin|gabalin)$",
    re.I,
)
_DISEASE = re.compile(r"^[a-z]{4,}(?:itis)$", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Cheap pre-checks and anchors, so a page without the key words costs one scan each.
_ANY_MODALITY = re.compile(
    r"ultrasound|sonograph|echo|x-ray|radiograph|\bCT\b|MRI|MR imaging|scan|biops|endoscop|"
    r"function test|exam|culture|smear|aspiration|angiograph|doppler|scintigraph",
    re.I,
)
_ANY_PROCEDURE = re.compile(
    r"surger|repair|removal|resection|excision|reconstruction|replacement|release|decompression|fusion|"
    r"injection|ablation|drainage|implant|transplant|fixation",
    re.I,
)
_FORM_WORD = re.compile(
    r"\b(?:braces?|splints?|insoles?|orthoses|orthotics?|creams?|ointments?|gels?|lotions?|eye\s+drops|ear\s+drops|"
    r"nasal\s+sprays?|sprays?|patch(?:es)?|suppositor(?:y|ies)|mouthwash(?:es)?|inhalers?)\b",
    re.I,
)
_MORPH = re.compile(
    r"\b[A-Za-z]{3,}(?:ectomy|ectomies|otomy|ostomy|plasty|pexy|rrhaphy|tripsy|itis|prazole|tidine|olol|pril|"
    r"sartan|dipine|statin|cillin|mycin|floxacin|cycline|conazole|nidazole|ciclovir|clovir|mab|nisolone|olone|"
    r"methasone|asone|azepam|zolam|triptan|afil|gliptin|gliflozin|glitazone|formin|oxetine|opram|traline|faxine|"
    r"tyline|pramine|setron|dronate|lukast|terol|tropium|fenac|profen|peridol|apine|idone|tizine|atadine|semide|"
    r"thiazide|xaban|gatran|grel|tinib|parin|oxacin|afine|osin|zosin|gabalin)\b",
    re.I,
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _entry(lexicon: Lexicon, kind: str, text: str) -> Entry:
    """The lexicon's entry when it knows the phrase, else a concept named by the phrase itself."""
    known = lexicon.lookup(text)
    if known is not None and known.kind == kind:
        return known
    label = " ".join(text.lower().split())
    return Entry(kind, "x-" + _slug(label), label)


def pattern_mentions(
    lexicon: Lexicon, text: str, start: int, end: int, mentions: list[Mention]
) -> list[Mention]:
    """Dictionary mentions plus rule mentions (a rule mention replaces what it strictly contains)."""
    chunk = text[start:end]
    found: list[Mention] = []

    def add(s: int, e: int, kind: str) -> None:
        phrase = chunk[s:e]
        found.append(Mention(start + s, start + e, _entry(lexicon, kind, phrase), "pattern"))

    low = chunk.lower()
    if _ANY_MODALITY.search(chunk):
        for m in _ORGAN_TEST.finditer(chunk):
            add(m.start(), m.end(), "test")
        for m in _MODALITY_OF.finditer(chunk):
            add(m.start(), m.end(), "test")
    if "test" in low:
        for m in _NAMED_TEST.finditer(chunk):
            words = m.group(1).split()
            while words and _NOT_TEST_WORD.match(words[0]):
                words = words[1:]
            if not words or _NOT_TEST_WORD.match(words[-1]) or _ADJECTIVE.match(words[-1]):
                continue
            s = m.start(1) + m.group(1).find(words[0])
            add(s, m.end(), "test")
    if _ANY_PROCEDURE.search(chunk):
        for m in _SITE_TREATMENT.finditer(chunk):
            add(m.start(), m.end(), "treatment")
    for m in _FORM_WORD.finditer(chunk):
        before = chunk[max(0, m.start() - 40) : m.start()]
        mods = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", before)[-2:]
        if mods and not before.endswith((" ", "-")):
            continue
        while mods and not _FORM_MODIFIER.match(" ".join(mods)) and not _FORM_MODIFIER.match(mods[0]):
            mods = mods[1:]
        if not mods:
            continue
        s = (
            m.start() - len(before) + before.rfind(mods[0])
            if len(mods) == 1
            else m.start() - len(before) + before.rfind(" ".join(mods))
        )
        if s < m.start() - len(before):
            continue
        add(s, m.end(), "treatment")
    for m in _MORPH.finditer(chunk):
        w = m.group(0)
        if _SURGICAL.match(w):
            add(m.start(), m.end(), "treatment")
        elif _DRUG_STEM.match(w):
            add(m.start(), m.end(), "drug")
        elif _DISEASE.match(w):
            add(m.start(), m.end(), "condition")
    if not found:
        return mentions
    group = {"treatment": "tx", "drug": "tx"}
    out = list(mentions)
    for p in sorted(found, key=lambda x: x.start - x.end):
        overlapping = [m for m in out if m.start < p.end and p.start < m.end]
        if any(m.source != "lexicon" for m in overlapping):
            continue
        # a rule phrase replaces what it strictly contains: a mention of its own kind, or the
        # site it is named by ("carpal tunnel" in "carpal tunnel release")
        if any(
            not (p.start <= m.start and m.end <= p.end and (m.end - m.start) < (p.end - p.start))
            or (
                group.get(m.entry.kind, m.entry.kind) != group.get(p.entry.kind, p.entry.kind)
                and not (p.entry.kind in ("test", "treatment") and m.entry.kind in ("condition", "symptom"))
            )
            for m in overlapping
        ):
            continue
        out = [m for m in out if m not in overlapping] + [p]
    out.sort(key=lambda m: m.start)
    return out
