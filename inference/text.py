"""Free text to symptom codes: lay phrases, negation ("no fever" is not fever), and the words
that matched nothing, which are reported back rather than dropped.

Matching survives how people write: words are stemmed on both sides ("killing myself" is "kill
myself"), a phrase's words may have others between them ("neck is so stiff"), a phrase written
"chest & pressure" matches in either order, and a misspelt table word still counts
("speach"). History ("2 years ago"), figures of speech ("a fit note"), temperatures and ages
written as numbers are read too. ../README.md describes each rule.

Negation follows NegEx: a cue ("no", "without", "denies"...) negates a phrase that follows it
closely (at most NEGATION_WINDOW other words between), in the same clause, with no comma or
"and" between: "no fever or cough" denies both, "no appetite, and chest pain" denies nothing
after the comma. Pseudo-negations ("no idea", "not going away", "never had a headache this
bad") negate nothing. Every doubt falls on the side of a symptom being present, because a
wrongly denied symptom can hide a red flag."""

import itertools
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker
from spellchecker.spellchecker import WordFrequency

from inference.vocabulary import symptoms, with_implied

STEMMER = snowballstemmer.stemmer("english")
CLAUSE_BREAK = re.compile(
    r"(?<!\d)\.|\.(?!\d)|[;!?\n]|\b(?:but|however|although|though|except|yet)\b"
    r"|,\s*(?=i\b|my\b|he\b|she\b|he's\b|she's\b|hes\b|shes\b|they\b|it's\b|its\b|now\b)"
    # an aside in brackets about someone now: "collapsed last season (he's fine now)"
    r"|\((?=\s*(?:i|i'm|he|she|he's|she's|hes|shes|they|they're|it's|its)\b)"
    r"|\band\s+(?=i\b|i'm\b|my\b)"
)
NEGATION = re.compile(
    r"\b(?:no|not|without|denies|deny|never|none|nor|free of|don't have|do not have|"
    r"haven't had|have not had|didn't have|did not have|isn't|aren't|wasn't|"
    r"doesn't (?:look|seem)|don't (?:look|seem)|didn't|didnt)\b"
)
# "haven't had a fit" and "havent had a seizure": the phrase "had a fit" may take the "had", and
# text-speak drops the apostrophe. Only right before the finding: "havent had my inhaler,
# wheezing" denies nothing. "Hasn't had a fit like this before" and "...until today" still do.
HAVE_NOT = re.compile(
    r"\b(?:haven'?t|hasn'?t|hadn'?t|have not|has not|had not)( had(?: an?| any)?)?\s*$"
)
UNTIL = re.compile(r"\b(?:until|till|til)\b")
NEGATION_WINDOW = 4
# "didn't" denies only what a knock may cause, and a sudden start, said right after it ("didn't
# pass out", "didnt knock himself out", "didn't come on suddenly"): "GTN didn't touch the chest
# pain" still has chest pain, and "my period didn't come on time" is a missed period.
DIDNT = re.compile(r"didn'?t")
DIDNT_DENIES = re.compile(
    r"\s*(?:pass|black|lose|knock|faint|vomit|throw|be sick|hit|bang|bump|"
    r"come on (?:so |very |really )?(?:sudden|instant|all at once|all of a sudden|out of|like a|"
    r"without warning))"
)
# Words that a phrase never spans: "neck not stiff" is no "neck stiff".
NEGATION_WORDS = frozenset(
    {"no", "not", "without", "never", "none", "nor", "isn't", "aren't", "wasn't", "don't"}
    | {"doesn't", "didn't", "haven't", "hasn't", "won't", "can't", "couldn't", "nothing"}
)
BEFORE_DENIAL_FILLERS = frozenset({"really", "even", "always", "ever", "properly", "be"})
SCOPE_END = re.compile(r",|\band\b")
PSEUDO_NEGATION = re.compile(
    r"\b(?:no idea|not sure|no clue|no doubt|not only|no better|not better|not getting better|"
    r"not improving|not go(?:ing)? away|not stopping|not stop|no helmet|without (?:a )?helmet|"
    r"no seat ?belt|without (?:a )?seat ?belt|"
    # something wrong, and a medicine not at hand: "she doesn't look right, her lips are blue",
    # "don't have my inhaler, wheezing really bad"
    r"(?:doesn't|don't) (?:look|seem) right|(?:don't|doesn't|didn't) have (?:my|his|her|their|"
    r"an?|the) (?:inhaler|pump|spray|epipen|epi-pen|meds|medication|tablets|pills))\b"
)
# Historical context (ConText, Harkema et al. 2009): in the part of a clause that places what
# it says long ago and says nothing of now, findings are history, not present ("I had a seizure
# 2 years ago and none since"); which parts a time covers is told in `_history`. A part that
# also speaks of now ("...and now crushing chest pain") counts. "Last month" is left out: "over
# the last month" is still going on.
HISTORICAL = re.compile(
    r"\b(?:years? ago|last year|months ago|as a (?:child|kid|teenager|baby)|"
    r"as a (?:little |young )?(?:girl|boy|lad|lass)|"
    # "as a toddler" told with a past verb; a parent also writes "she is 2 and as a toddler
    # can't tell me what's wrong"
    r"as a toddler(?=[^,.;!?]{0,40}\b(?:had|was|were|got|used to)\b)|"
    r"(?:had|was|were|got)\b[^,.;!?]{0,40}?\bas a toddler|"
    r"when (?:i|he|she) was (?:a |little|young|baby|small|\d)|in the past|history of|"
    r"used to (?:have|get)|years back|"
    r"weeks ago|yrs ago|yr ago|last yr|in (?:19|20)\d\d|"
    r"(?:from|back in) (?:19|20)[0-2]\d(?! ?(?:hours|hrs|h|onwards|tonight)\b)|"
    r"(?<=\()(?:like|about|around) (?:19|20)\d\d(?=\))|"  # "(like 2019)", not "dad (1951)"
    r"last (?:summer|winter|spring|autumn)|(?<!than )(?<!since )last season|"
    r"always been like (?:that|this))\b"
)
CURRENT = re.compile(
    r"\b(?:now|today|tonight|this (?:morning|afternoon|evening)|currently|right now|"
    # "just a rash": "only"; "just curious": asking
    r"just(?! (?:an? )?(?:rash|bit|little|small|mild|minor|some|curious|wondering|asking)\b)|"
    r"suddenly|since (?:this|last night|having|giving birth|i|my|he|she|we|the|\d|a|an|one|"
    r"two|three)|started|this week|[a-z]+ing again|back again|are back|flared|flare up|flaring|"
    r"lately|recently)\b"
)
# A question asked for a course or a school project about anyone at all ("what should I do if
# someone has a seizure, doing a first aid course") speaks of no patient: ConText's
# hypothetical. Not when the text also speaks of now or of someone in particular ("the
# instructor collapsed" has no "if someone"). Thoughts of suicide, a child's breathing and a
# stated emergency are always heard: a missed one costs too much.
STUDY = re.compile(
    r"\b(?:first aid|first-aid|cpr|resus) (?:\w+ )?(?:course|class|training|exam|test)\b"
    r"|\b(?:nursing|medical|paramedic|midwifery) (?:school |student |course |exam |osce )?"
    r"(?:exam|revision|osce) questions?\b|\brevision question\b"
    r"|\b(?:school|uni|university|college|science|biology) (?:project|assignment|essay|homework)\b"
    r"|\bfor (?:a|my|our) (?:project|assignment|essay|dissertation)\b"
    r"|\bred cross (?:course|class|training)\b"
)
# A question for a story ("writing a novel where my character has a stroke"), or about one
# watched ("watching Casualty and one of the characters had a seizure"), speaks of no patient
# either, when it names a character.
FICTION = re.compile(
    r"\bwriting (?:a|my) (?:novel|story|book|script|play)\b"
    # a drama watched, when the writer asks about it and tells nothing of their own
    r"|^(?=.*\b(?:wondering|what (?:you're|you are|are you|do you|should you|would you|do i|"
    r"should i) |how (?:do|would|should|can) (?:you|i|we) |what to do|meant to do|how to spot|"
    r"just curious|isn't that|is (?:that|it) (?:right|true|wrong)))"
    r"(?!.*\b(?:same|realis\w*|i've got|i have got|now i|and now|i can't|i feel|i have|"
    r"this is|i'm being|worst|crushing|came on|sweating|for me|to me|i'm having|happening|"
    r"my (?:left |right )?(?:face|arm|hand|leg|mouth|eyes?|vision|words|speech|chest|head|lips?|"
    r"throat|tongue))\b)"
    r".*\b(?:(?:watching|watched|saw) (?:\w+ ){0,2}?(?:casualty|holby|grey's anatomy|eastenders|"
    r"coronation street|corrie|emmerdale|hollyoaks|a film|a movie|a drama|a programme|a show|"
    r"a series|a soap|tv|telly|netflix)"
    # or a book read: "our book club is reading an Agatha Christie where someone's poisoned"
    r"|(?:reading|read) (?:\w+ ){0,2}?(?:an agatha christie|a novel|a book|a crime novel|"
    r"a murder mystery|a thriller|a whodunnit))\b"
)
CHARACTER = re.compile(r"\bcharacters?\b|\bbook club\b|\bin the (?:book|novel|story|plot)\b")
ANYONE = re.compile(
    r"\b(?:if|when) (?:someone|somebody|anyone|a person|a child|you)\b|\b(?:someone|somebody) "
    r"(?:who|with)\b|\bdifference between\b|\b(?:signs|symptoms) of\b|\bhow (?:do|would) you\b"
    r"|\bwhat does it mean (?:if|when)\b"
)
# A patient who says they talk normally is not too breathless to speak (the mark of a severe
# asthma attack, BTS/SIGN 158): "can talk fine", "can still speak normally". "In full
# sentences" is left out: it is far more often the denied sign ("hard to speak in full sentences").
TALKS_NORMALLY = re.compile(
    r"\b(?:(?:can|could|able to) (?:still )?)?(?:talk|talks|talking|speak|speaks|speaking) "
    r"(?:fine|ok|okay|normally|no problem)\b"
)
# ...unless the words before deny it: "can't talk normally", "too breathless to talk normally".
NOT_TALKING = re.compile(
    r"(?:n't|\b(?:cant|cnt|cannot|can not|couldnt|wasnt|isnt|didnt|doesnt|dont|wont|not|no|"
    r"unable|trouble|difficulty|difficult|hard|harder|struggle|struggling|struggles|barely|"
    r"hardly|never|too|longer|without|enough))\W+(?:\w+\W+){0,3}$"
)


def talks_normally(text: str) -> bool:
    return any(not NOT_TALKING.search(text[: m.start()]) for m in TALKS_NORMALLY.finditer(text))


CHILD_BREATHING_SIGNS = ("shortness_of_breath", "wheezing", "blue_lips", "breathing_pauses")
ALWAYS_HEARD = frozenset(
    {"suicidal_thoughts", "deliberate_overdose", *CHILD_BREATHING_SIGNS}
    | {"stated_emergency", "says_heart_attack", "says_stroke"}
)
# A question about prevention ("any tips on avoiding heatstroke?", "how to prevent a stroke"), or
# about what might one day happen ("what do I do if my son ever has a seizure"), speaks of no
# finding now, like a denial; but what is always heard still is ("advice on preventing
# self-harm" is someone who fears it), apart from a heart attack or stroke "had".
PREVENTION = re.compile(
    r"\b(?:how|ways?|tips?|advice) (?:on |for |to )?(?:avoid|prevent)(?:ing)?\b"
    r"|\bif (?:my|our|your|the) [a-z']+ ever\b"
)
NEVER_PREVENTED = ALWAYS_HEARD - {"says_heart_attack", "says_stroke"}
# Ending one's life, mentioned in any tense, is never history: "tried to end it last year" too.
# Told as history, each of these is heard as what it still says now: an overdose taken on
# purpose last year is an attempt on one's life, not a poisoning today.
HEARD_IN_ANY_TENSE = {
    "suicidal_thoughts": "suicidal_thoughts",
    "deliberate_overdose": "suicidal_thoughts",
}
# "I've never had a headache this bad" says the headache is there.
NEVER_BEFORE = re.compile(r"\b(?:like (?:this|that)|this bad|so bad|before|in my life)\b")
CHILD = re.compile(
    r"\b(?:son|daughter|baby|babys|babby|babies|child|children|kid|kids|boy|girl|toddler|toddlers|infant|"
    r"newborn|new born|grandson|granddaughter|grandchild|nephew|niece|little one|lo|bub|"
    r"preschooler|schoolboy|schoolgirl|lad|wee one|pikin|kiddo|youngster|pupil|bairn|"
    r"wean|little fella|wee fella|little fellow)\b"
    # twins or triplets, unless a parent of them writes of themself ("mum of triplets")
    r"|(?<!mum of )(?<!mom of )(?<!mother of )(?<!dad of )(?<!father of )(?<!parent of )"
    r"(?<!parents of )(?<!mum to )(?<!mummy of )(?<!mummy to )\b(?:twins?|triplets)\b"
)
# Child words that a misspelling may stand for too ("daugter").
CHILD_WORDS = frozenset({"daughter", "toddler", "infant", "newborn", "children", "grandson"})
CHILD_KEYS = frozenset(STEMMER.stemWords(sorted(CHILD_WORDS)))
# A mother who writes about herself: "I had a baby 2 weeks ago", "breastfeeding my 5 week old".
# Her baby's age says nothing about the patient's.
MOTHER = re.compile(
    r"\b(?:breast ?feeding|breast-feeding|(?:had|having) (?:a|my|the) baby|gave birth|given birth|"
    r"postpartum|post-partum|since (?:the|my) (?:birth|delivery)|(?:c-section|caesarean))\b"
)
# Someone other than the writer: the account holder's age and sex are then not the patient's.
SOMEONE_ELSE = re.compile(
    r"\b(?:my|our|his|her) (?:husband|wife|partner|son|daughter|baby|child|kid|dad|father|mum|"
    r"mom|mam|mother|brother|sister|boyfriend|girlfriend|grandma|grandad|grandmother|"
    r"grandfather|nan|nana|friend|mate|flatmate|neighbour|neighbor|colleague|toddler|twins?|triplets?|"
    r"boy|girl|missus|hubby|fiance|fiancee|uncle|aunt|niece|nephew|grandson|granddaughter)\b"
    r"|\b(?:neighbour|neighbor|colleague|coworker|co-worker|flatmate|housemate|resident|pupil)\b"
)
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15,
}  # fmt: skip
_NUMBER = r"(\d{1,3}(?:\.5)?|" + "|".join(NUMBER_WORDS) + ")"
_UNIT = r"(days?|wks?|weeks?|months?|mths?|mos?|years?|yrs?|yo|y/o)"
# "a 10 week baby" (not "the 6 week baby check", "a 2 day baby shower")
_BABY_AFTER = (
    r"(?= (?:old )?(?:baby|infant|newborn|boy|girl)\b(?! (?:massage|shower|check|class|group|"
    r"clinic|jabs?|vaccin\w*|appointment|review|course|blues)\b))"
)
# "my 6 week old", "a 10-day-old baby", "she's 2 months", "my son (4)"
AGE = re.compile(
    rf"\b{_NUMBER}[- ]?{_UNIT}(?:[- ]old\b|(?<=o)\b|{_BABY_AFTER})|"
    rf"\(\s*(?:age |aged )?(\d{{1,2}})\s*\)|"
    rf"\bage[ds]?:?\s+(\d{{1,2}})\b(?![- ]?(?:d|w|m|y))|"
    rf"\b(?:(?:baby|babby|infant|newborn|son|daughter|"
    rf"(?<!expecting )(?<!pregnant with )(?<!carrying )(?:twins?|triplets?))(?:'s)?|"
    rf"(?:wean|bairn)(?:'s|\s+is)|he's|"
    rf"she's|is|are|aged?|(?:born|(?:(?<=surrogate )|(?<=baby was ))delivered)"
    rf"(?=\s+(?:about |around |just |only )?\w+[- ]?[a-z]+\s+ago\b))"
    rf"\W+(?:[a-z']+\W+)?{_NUMBER}[- ]?{_UNIT}\b"
    r"(?!\W+(?:pregnant|early|premature|prem|late|overdue|before|after)\b)"
)
# A bare number after "he's" or "she's", or after a relative who "is", standing alone, is an
# age in years: "he's 3, had a cold", "my little brother is 6 and..." (never "she's 5 foot",
# "he's 6/10", "she's 38 weeks").
BARE_AGE = re.compile(
    r"\b(?:he's|she's|he is|she is|(?:brother|sister|son|daughter|boy|girl|grandson|"
    r"granddaughter|nephew|niece|cousin) is|(?:little|wee) (?:fella|fellow|man)(?:'s| is))"
    r"\s+(\d{1,2})(?=\s*(?:[,.!?]|and\b|$))"
)
# Years right after a relative, as many languages tell an age: "my nephew 11 years has fever",
# "my little sister 3 years cannot breathe" (not "3 years ago", "for 3 years", "3 years of").
RELATIVE_YEARS = re.compile(
    r"\b(?:brother|sister|nephew|niece|grandson|granddaughter|cousin|boy|girl)\s+"
    r"(\d{1,2}) ?(?:years?|yrs?)\b"
    r"(?! (?:ago|since|of|now|later|before|after|back|older|younger|apart|clean|sober)\b)"
)
# A baby's age in weeks as clinicians note it, right after a word for the baby: "baby boy 9/52"
# is 9 weeks old (not "cough for 2/52", a duration, nor "I'm 10/52", a pregnancy).
WEEKS_NOTED = re.compile(
    r"\b(?:baby|boy|girl|infant|son|daughter|newborn|nephew|niece|grandson|grand?daughter|"
    r"grandchild|grandbaby)\W+(?:[a-z]+\W+)?"
    r"([1-9]|[1-4]\d|5[0-2])/52\b(?!/)"
)
# An age told as had, as many languages tell it: "my baby girl she has 5 weeks." Only in weeks
# or months, standing alone, in a text about a baby that gives no other age (not "she has 5 weeks
# left", nor "my son (6) has a fever, he has 3 days": how long).
HAS_AGE = re.compile(rf"\b(?:he|she|baby) has {_NUMBER} (weeks?|months?)(?=\s*(?:[,.;!]|$))")
BABY = re.compile(r"\b(?:baby|babby|babies|newborn|new born|infant|bubba|bub)\b")
# Words that may speak of a baby, misspelt or not: "babys only 4 wks", "bubba", "1 munth old".
BABY_HINT = re.compile(
    r"\b(?:bab\w*|bub\w*|new ?born|infant|neonat\w*|lo)\b"
    r"|\b(?:days?|weeks?|wks?|months?|munths?|mnths?|mths?|mos?)\b"
)
# Words an age may follow that are said of anyone, child or not ("she's tired, 2 days").
SAID_OF = ("is", "are", "he's", "she's")
# "it is 2 days" is how long, unless the text speaks of a child ("the baby, it is 7 weeks").
IT_IS = re.compile(r"\b(?:it|this|that|there|which) $")
PREGNANT = re.compile(r"\bpregnan\w*")
# Ages that may be how far along a pregnancy is, when "pregnant" stands close by; never a baby's,
# a son's or a daughter's, nor one "born" some weeks ago.
GESTATION = re.compile(r"(?:twins?|he's|she's|is|are)\b")
YOUNG_INFANT_MONTHS = 3  # "my 6 week old" is a young infant: a fever is an emergency
MONTHS_PER_UNIT = {"d": 1 / 30.4, "w": 12 / 52.2, "m": 1.0, "y": 12.0}
# A blood sugar reading after its name, in mmol/L, under 3.
_SUGAR_READING = (
    r"(?:(?:is|was|s|of|at|only|down to|dropped to|reading|reads|read|says|said|shows|showed|"
    r"showing|level|now)\W+){0,3}"
    r"(?:[0-2][.,]\d|0?[.,]\d|[0-2](?=\s*(?:mmol|[,.!?](?!\d)|and\b|$)))\b"
    r"(?!\s*(?:%|/|hours?\b|hrs?\b|h\b|mins?\b|minutes\b|g\b))"
)
# Findings written as numbers: a temperature of 38 °C (100.4 °F) or more is a fever; ten or
# more tablets taken at once is an overdose; a systolic pressure of 140 or more is high.
# Despair told beside a plan: "letters posted", "can't face another day", "I'm done".
_DESPAIR = (
    r"(?:sorted|letters|notes|goodbye|had enough|can'?t face|can'?t go on|can'?t do this|"
    r"tired of|end it|done with it|i'?m done|talk me out|the will|wants? to die|no point|sorry for|"
    r"don'?t (?:want to )?wake up|not wake up|saved up|saving up|on purpose|"
    r"want (?:it|this) (?:all )?to be over|can'?t take it (?:any ?more|no more)|"
    r"want (?:fi|to) dead|better off without me|no way out|don'?t want to be here)"
)
# What shows a reading is not the patient's now: a drama, a nurse's patients, a device's battery
# or screen, a course, a time long ago, a question of what would happen.
_NOT_A_READING_NOW = (
    r"battery|charged?|charging|chapter|brightness|screen|module|course|lesson|drama|"
    r"grey's anatomy|casualty|holby|episode|programme|patients|in (?:19|20)\d\d|last (?:week|"
    r"month|year)|years? ago|months? ago|weeks? ago|when i had|what if|what happens if|if (?:my|"
    r"your|his|her|their|the) (?:sats|oxygen)|leaflet|fish|tank|aquarium|caused by|scenario|"
    r"chart|training|exam|revision|hyperbaric|maths|results|school|year 6|ks2|spag|grammar|"
    r"pulse on|pounds|quid|amazon|price"
)
# Despair that no everyday worry tells ("can't do this anymore", not "had enough of this cough").
_STRONG_DESPAIR = (
    r"(?:can'?t do this|can'?t go on|can'?t face (?:it|another|life)|end it|done with it all|"
    r"wrote (?:my|the) letters|letters (?:are )?(?:written|posted)|"
    r"i'?m done with (?:it|life|everything)|wants? to die|better off without me|no way out|"
    r"can'?t take it any ?more)"
)
# Medicines, and words for them, that a child may find or a person take too many of.
_MEDICINE_NAMES = (
    r"pills|tablets|meds|medication|medicine|paracetamol|ibuprofen|co-codamol|codeine|"
    r"methadone|sertraline|citalopram|fluoxetine|amitriptyline|mirtazapine|diazepam|zopiclone|tramadol|"
    r"propranolol|quetiapine|olanzapine|lithium|insulin|aspirin|oxycodone|morphine|"
    r"dihydrocodeine|pregabalin|gabapentin|antidepressants|sleeping pills|painkillers"
)
SCALD_SKIN_OFF = re.compile(
    r"^(?=.*\b(?:boiling|scald\w*|kettle|chip pan|"
    r"hot (?:\w+ )?(?:water|oil|fat|tea|coffee|drink))\b)"
    r"(?!.*\b(?:sun(?:burn\w*|bath\w*|bed|tan\w*|shine)?|tongue|lips?|roof of|heal\w*|"
    r"yesterday|last \w+|fortnight|days ago|weeks ago|every (?:day|night)|soak\w*|eczema|"
    r"finger)\b)"
    r".*\bskin(?:'s| is| has)? (?:\w+ )?(?:peeling|peeled|coming|come|came|hanging|sliding) off\b"
)
NUMERIC_FINDINGS = (
    (
        re.compile(
            r"\b(?:3[89]|4[0-2])(?:[.,]\d)\b|\b(?:3[89]|4[0-2])\s*(?:°\s*c?|degrees|c\b)"
            r"|\b(?:10[0-6])(?:[.,]\d)?\s*(?:°\s*f?|degrees|f\b)"
            r"|\b(?:3[89]|4[0-2]) point \d\b(?!\s*(?:weeks?|wks?)\b)"  # dictated: "38 point 2"
            r"|\b(?:3[89]|4[0-2])(?:[.,]\d)? on (?:the|our|my|his|her) (?:ear |forehead |digital )?"
            r"thermometer\b(?!\s+(?:in|outside|on the wall)\b)"
        ),
        "fever",
    ),
    (
        re.compile(
            r"\b(?:took|taken|swallowed|ate|had|downed|necked)\b\W+(?:\w+\W+){0,2}?"
            r"(?:\d{2,}|twenty|thirty|forty|fifty|a hundred)\s+(?!mg|ml|mcg|g\b)(?:\w+\s+){0,3}"
            r"(?:pills|tablets|tabs|capsules|par[ae]?c[ae]?t[aeo]?m[ao]l|ibuprofen|aspirin|"
            r"painkillers|co-codamol|codeine|sleeping pills|antidepressants)\b"
        ),
        "overdose",
    ),
    (re.compile(r"\b(?:1[4-9]\d|2\d\d)\s*/\s*(?:\d{2,3})\b"), "high_bp_reading"),  # 165/100
    # 160/110 or more: severe (NICE NG133: admitted when pregnant)
    (
        re.compile(
            # not a reading from an earlier pregnancy ("in my last pregnancy my bp was 170/110")
            r"(?:^|(?<=[.!?]))"
            r"(?![^.!?]*\b(?:last|previous|earlier|other|first) (?:pregnancy|baby)\b)[^.!?]*?"
            r"(?:\b(?:bp|blood pressure|pressure|reading|systolic|monitor|machine|cuff)\b\W+"
            r"(?:[\w']+\W+){0,3}?(?:(?:1[6-9]\d|2\d\d)\s*(?:/|over)\s*\d{2,3}|"
            r"1\d\d\s*(?:/|over)\s*1[1-9]\d)\b"
            r"|\b(?:(?:1[6-9]\d|2\d\d)\s*/\s*\d{2,3}|1\d\d\s*/\s*1[1-9]\d)\s*mm\s*hg\b)"
        ),
        "severe_bp_reading",
    ),
    # A blood sugar under 3 mmol/L is a bad hypo (under 4 is one): "his sugar is 2.1", "BM 2.8",
    # "bloods 2.6" (a diabetic's word for the sugar), a sugar meter's "1.9", and a bare "meter
    # says 1.9" where the text speaks of diabetes (not a gas or ketone meter's).
    (
        re.compile(
            r"\b(?:sugars?|glucose|bm|bloods|blood sugar levels?|sugar levels?|"
            r"(?:sugar|glucose|blood|bm) meter|glucometer)\b\W+" + _SUGAR_READING
        ),
        "low_sugar",
    ),
    (
        re.compile(
            r"^(?=.*\b(?:diabet\w*|insulin|type 1)\b)(?!.*\bketones?\b).*?\bmeter\b\W+"
            + _SUGAR_READING
        ),
        "low_sugar",
    ),
    # Ten or more paracetamol (or ibuprofen, co-codamol) within a day: "about 24 paracetamol in
    # 18 hours" (the most is 8 a day).
    (
        re.compile(
            r"(?<!can i take )(?<!should i take )(?<!could i take )"  # a question, none taken
            r"\b(?:[1-9]\d) (?:paracetamol|co-codamol|ibuprofen)(?: tablets| pills)? "
            r"(?:in|over|within) (?:(?:the (?:last|past) )?(?:[1-9]|1\d|2[0-4]) ?(?:hours?|hrs?)|"
            r"(?:a|one|the) day)\b"
        ),
        "overdose",
    ),
    # A glucose sensor's "LO": below what it can measure.
    (
        re.compile(
            r"\b(?:libre|dexcom|sensor|cgm|glucometer|(?:sugar|glucose|bm) meter)\b\W+"
            r"(?:[\w']+\W+){0,2}?(?:says|said|reads|reading|shows|showing)\W+lo\b(?!\W*batt)"
        ),
        "low_sugar",
    ),
    # "lifting and BANG, headache": a headache that came on like a blow.
    (
        re.compile(
            r"\b(?:and|then|suddenly|just)\W+bang\b(?!\W+(?:my|his|her|your|their|"
            r"the|it|on|into|against|onto|in|head|heads|went|goes|bang|a)\b)"
        ),
        "sudden_onset",
    ),
    # Jumping from a height, meant: "he says he will jump from balcony", "thinking of jumping
    # off the bridge", "threatening to jump" (not "jumped off the shed roof as kids", "not going
    # to jump off a bridge").
    (
        re.compile(
            r"(?<!not )(?<!never )(?<!n't )\b(?:going to|gonna|will|'ll|'d|might|wants? to|"
            r"wanted to|threaten(?:s|ed|ing)? to|about to|plans? to|planning to|"
            r"thinking (?:of|about)|think (?:of|about)|tried to|trying to|try to)\s+"
            r"(?:jump(?:ing)?|throw(?:ing)? (?:my|him|her|them)sel(?:f|ves))\s+"
            r"(?:off|from|out of|in front of)\s+(?:[a-z0-9'-]+\s+){0,3}?"
            r"(?:balcony|roof|bridge|building|window|car park|multi-?storey|multi storey|tower|"
            r"ledge|motorway|flats?)\b"
            r"|(?<!not )(?<!never )\bthreaten(?:s|ed|ing)? to jump\b"
        ),
        "suicidal_thoughts",
    ),
    # Someone who "has nothing left" and pills at hand, in one sentence: "she said she has
    # nothing left and showed me a pile of pills" (not "nothing left in my pill box").
    (
        re.compile(
            r"\b(?:has|have|had|got|i've) nothing left\b"
            r"(?! (?:in|of|on|from|for|to (?:give|eat|do|wear)))"
            r"(?=[^.!?]{0,60}\b(?:pills|tablets)\b)"
            r"(?![^.!?]*\b(?:prescription|repeat|refill|ran out|run out|pharmacy|chemist|"
            r"need more|order more)\b)"
        ),
        "suicidal_thoughts",
    ),
    # A baby's head felt coming: "I can feel the head coming" (not "the head cold coming on").
    (
        re.compile(
            r"\bfeel (?:the|its|his|her|the baby's|baby's|my baby's|her baby's) head "
            r"(?:coming|crowning|out|between)\b"
            r"|\bfeel (?:the |my |her )?baby's head\b(?=[^.!?]{0,60}\b(?:coming|crowning|"
            r"contractions?|push\w*)\b)"
        ),
        "emergency_birth",
    ),
    # Blood ketones of 3 mmol/L or more in someone with diabetes, or with a sugar of 14 or more:
    # diabetic ketoacidosis, an A&E visit now (Diabetes UK). Not a keto diet's or a fast's
    # ketones, a urine strip's "3+", a sick-day plan's "if ketones are over 3", nor a reading told
    # as past ("last year").
    (
        re.compile(
            r"^(?!.*\b(?:keto|ketogenic|fasting|diet)\b)(?=.*\b(?:diabet\w*|insulin|type 1|t1d|"
            r"(?:sugars?|glucose|bg|bm)\b\W+(?:[a-z']+\W+){0,4}?(?:1[4-9]|[2-4]\d)(?:[.,]\d)?\b))"
            r".*?(?<!\bif )(?<!\bwhen )(?<!\burine )\bketones?\b\W+"
            r"(?:(?:is|are|was|were|of|at|reading|reads|read|says|said|shows|showed|showing|"
            r"levels?|now|up to|over)\W+){0,3}(?:[3-9]|1\d)(?:[.,]\d)?\b(?![.,]\d|\s*\+)"
            r"(?!\s*(?:%|/|hours?|hrs?|days?|times|x|mins?|minutes|weeks?|months?|years?|or)\b)"
            r"(?![^.]*\b(?:last (?:year|month|week)|once|diagnosed|ago|sometimes|dip\w*|"
            r"sticks?|strips?|urine)\b)"
        ),
        "stated_emergency",
    ),
    # "no reason to go on", said on its own, is a reason to live gone (not "no reason to go on
    # the trip", "to go on statins").
    (
        re.compile(
            r"\bno reason to (?:go on|carry on|keep going)\b"
            r"(?=\s*(?:[,.;!?]|$|and\b|any ?more\b|living\b))"
        ),
        "suicidal_thoughts",
    ),
    # A threat to life is literal, whatever "this cough is killing me" means.
    (
        re.compile(
            r"\b(?:going to|gonna|wants? to|trying to|threaten(?:s|ed|ing)? to|says? (?:he|she)"
            r"(?:'ll| will))\s+(?:kill|murder|stab|shoot|strangle)\s+(?:me|us|my)\b"
            r"(?!\s+(?:if|when|for|cos|because)\b)"
        ),
        "stated_emergency",
    ),
    # Someone choking who goes blue ("choking on a gobstopper, going blue"): the colour words
    # are read as blue lips, which would leave the choking phrase nothing to match. Not a
    # choke told as long past ("choked on a grape when she was a baby and turned blue").
    (
        re.compile(
            r"(?:^|(?<=[.!?]))(?![^.!?]*\b(?:when (?:i|he|she|they) was|ago|as a (?:baby|child|"
            r"toddler|kid)|last (?:year|month|week))\b)[^.!?]*?"
            r"\bchok(?:e|es|ed|ing)\b(?! for\b)[^.!?]{0,60}\b(?:going|turning|gone|went|turned) "
            r"(?:blue|purple|grey|gray)\b"
        ),
        "choking",
    ),
    # Chest pain and someone's spray that does not ease it: "chest pain ... spray not working
    # had 3 goes", "used his spray 3 times and its not working" (GTN not named; not a nasal,
    # throat or inhaler spray, nor one named for what it is: "the deep heat spray").
    (
        re.compile(
            r"^(?=.*\bchest\b)(?!.*\b(?:nasal|nose|throat|inhaler|puffer|salbutamol|ventolin|"
            r"asthma)\b).*(?:^|[,.;:!?]\s*|\b(?:my|his|her|their|the|dad's|mum's|gtn|angina|heart|"
            r"mins?|minutes|hours?|hrs?|ago|and|used|tried|had|then|x ?\d)\s+)spra(?:y|ys|yed)\b"
            r"(?! (?:for|on) (?:my|his|her) (?:nose|throat|skin|face|hair)\b)\W+"
            r"(?:[\w']+\W+){0,5}?"
            r"(?:not|isn'?t|hasn'?t|didn'?t|doesn'?t|aren'?t|haven'?t|no|nothing)\W+"
            r"(?:(?:is|it)\W+)?(?:working|worked|work|wroking|helped|helping|help|relief|"
            r"touching|touched)\b"
        ),
        "gtn_not_working",
    ),
    # An empty reliever inhaler in an attack helps no more than one that does not work:
    # "inhaler's empty and I'm really struggling" (not "struggling to get a repeat").
    (
        re.compile(
            r"\binhaler(?:'s| is| has)? (?:empty|run out|ran out|finished)\b[^.!?]{0,50}"
            r"\b(?:struggling(?! to (?:get|find|book|see|order|reach|sleep|afford)\b)|"
            r"can't breathe|cannot breathe|can barely breathe|can hardly breathe|gasping)"
        ),
        "inhaler_not_helping",
    ),
    # Wrists cut, both (one cut wrist is as often an accident: "cut my wrist on a tin lid"),
    # and not cut by something else ("on broken glass", "the handcuffs cut his wrists").
    (
        re.compile(
            r"(?<!cuffs )(?<!cuff )\b(?:cut|cutting|slashed|slashing) (?:both (?:of )?)?"
            r"(?:(?:my|his|her|their) )?(?:own )?wrists\b"
            r"(?! (?:on|with|accidentally|by accident)\b)"
        ),
        "suicidal_thoughts",
    ),
    # Ketones told as high by someone with diabetes or a high sugar: "type 1, ketones are high"
    # (not a keto diet's, a fast's or a urine strip's).
    (
        re.compile(
            r"^(?!.*\b(?:keto|ketogenic|fasting|diet|dieting|urine|strips?|sticks?)\b)"
            r"(?=.*\b(?:diabet\w*|insulin|type 1|t1d?|blood ketones|sugars?|glucose)\b)"
            r".*\b(?:ketones?(?: levels?)? (?:are |is |were |was )?(?:very )?(?:high|raised|up)\b"
            r"|(?:high|raised) (?:blood )?ketones?\b)"
        ),
        "ketosis_sign",
    ),
    # A blood sugar of 20 mmol/L or more (360 mg/dL or more where no unit says mmol): "his
    # blood sugar is 450", "sugars 27.4 and climbing" (not "sugar 25 years ago", "glucose 24
    # hours after").
    (
        re.compile(
            r"\b(?:blood sugars?|sugars?|glucose|bg)\b(?:'s)?"
            r"(?:\W+(?:levels?|readings?|is|was|were|of|at|says|said|reads|read|shows|showed|"
            r"showing|now|up to|gone up to|went up to|over)\b){0,3}\W+"
            r"(?:(?:2\d|3[0-3])(?:[.,]\d)?|3[6-9]\d|[4-9]\d\d)\b"
            r"(?![.,]?\d|\s*(?:%|/|hours?\b|hrs?\b|h\b|mins?\b|minutes\b|g\b|units?\b|years?\b|"
            r"yrs?\b|weeks?\b|wks?\b|days?\b|months?\b|times\b|am\b|pm\b|kg\b|lbs?\b))"
        ),
        "very_high_sugar",
    ),
    # A cut that will not stop bleeding, told without the word "bleeding": "cut myself shaving
    # and it's not stopping" (not a cut whose pain or itch will not stop).
    (
        re.compile(
            r"(?<!hair )\bcut\b(?! (?:down|back|out)\b)"
            r"(?:(?!\b(?:pain|itch\w*|ache|aching|sting\w*|hurt\w*|throb\w*)\b)[^.!?]){0,40}"
            r"\b(?:it's|its|it is|that's|and|and it) (?:still )?(?:not stopping|isn't stopping|"
            r"won'?t stop|will not stop|doesn'?t stop|does not stop)\b"
            r"(?! (?:me|him|her|them|us|you|it)\b)"
        ),
        "severe_bleeding",
    ),
    # A child into someone's open pill box: "Granny's pill box was left open and my 4yo has
    # eaten some".
    (
        re.compile(
            r"\b(?:pill ?box|pill bottle|pill organiser|tablet box|medicine box|dosette)\b"
            r"[^.!?]{0,30}"
            r"\b(?:left open|open)\b[^.!?]{0,40}\b(?:child|son|daughter|toddler|baby|kid|he|she|"
            r"they|\d+ ?yo|\d+ ?year old|grandson|granddaughter|little one)\b"
            r"(?: has| have|'s)? (?:eaten|ate|swallowed|taken|had) some\b"
        ),
        "overdose",
    ),
    # Pulled out of the water after going under: a near drowning ("we pulled a man out of the
    # lake, he was under for a minute").
    (
        re.compile(
            r"^(?=.*\b(?:pulled|dragged|fished)\b[^.!?]{0,30}\b(?:out of|from) the (?:lake|"
            r"river|sea|water|pool|canal|reservoir|loch|quarry|bath)\b)"
            r"(?=.*\b(?:was|went|been|were|had been) (?:submerged|under water|underwater)\b"
            r"(?! swimming))"
        ),
        "major_injury",
    ),
    # The glass test told apart from its result: "did the tumbler test on the spots on her arm
    # and they're still there".
    (
        re.compile(
            r"\b(?:tumbler|glass) test\b"
            r"(?:(?!\b(?:faded|fades|disappear\w*|went away|goes away)\b)[^.!?]){0,60}"
            r"\b(?:still there|still see|still visible|"
            r"didn'?t fade|don'?t fade|not fading|didn'?t go|don'?t go)\b"
        ),
        "non_blanching_rash",
    ),
    # Angina's spray told apart from its failure: "used my GTN spray twice 5 mins apart and it's
    # not touching it".
    (
        re.compile(
            r"\b(?:gtn|angina spray|nitro|nitro spray|nitroglycerin|nitrolingual)\b"
            r"(?:(?!\b(?:prescription|repeat|app|order|pharmacy|website|nozzle|ointment|cream|"
            r"fissure|patch|drawer|needed)\b)[^.!?]){0,60}"
            r"\b(?:not|isn't|hasn't|didn't|doesn't|wasn't) "
            r"(?:touching|touched|touch|helping|helped|help|working|worked|shifting|shifted|easing|"
            r"eased)\b(?! (?:it |them )?since\b)"
        ),
        "gtn_not_working",
    ),
    # A handful of tablets taken: "found with unknown white tablets, says he took a handful".
    (
        re.compile(
            r"^(?=.*\b(?:tablets|pills|meds|medication|capsules)\b)"
            r".*\b(?:took|taken|swallowed) a handful\b(?! (?:of|back|left|to)\b)"
            r"|\b(?:took|taken|swallowed) a handful of (?:his |her |my |their |the )?(?:\w+ )?"
            r"(?:tablets|pills|meds|antidepressants|painkillers|paracetamol|sleeping pills)\b"
        ),
        "overdose",
    ),
    # A child found with someone's medicines: "found my grandson (4) with my dosette box open".
    (
        re.compile(
            r"\bfound (?:my |our |the |her |his )?(?:grandson|granddaughter|son|daughter|toddler|"
            r"child|baby|kid|little one|boy|girl)(?: \(\d{1,2}\))? with (?:my |the |her |his |"
            r"their |nan's |granny's |grandma's |grandad's |mum's |dad's )?"
            r"(?:pill ?box|dosette(?: box)?|pill organiser|tablets|pills|medicines?|medication)\b"
            r"(?![^.!?]*\b(?:unopened|none missing|all there|still sealed)\b)"
        ),
        "overdose",
    ),
    # Choking told across a comma: "choking on a sandwich, can't cough or talk".
    (
        re.compile(
            r"\bchoking on\b(?! (?:phlegm|mucus|catarrh|this|the air|dry air|saliva|spit|my own)\b)"
            r"[^.!?]{0,40}\b(?:can'?t|cannot|unable to) "
            r"(?:cough|breathe|talk|speak)\b"
        ),
        "choking",
    ),
    # A sugar meter's "HI": above what it can measure.
    (
        re.compile(
            r"\b(?:meter|libre|dexcom|sensor|glucometer|finger prick|blood sugar reading)\b"
            r"[^.!?]{0,20}\b(?:says|said|saying|reads|read|reading|shows|showed|showing)\s+"
            r"(?:just\s+)?hi\b(?!-)"
            r"(?![^.!?]*\b(?:faulty|finger prick says|finger prick said|replaced)\b)"
        ),
        "very_high_sugar",
    ),
    # On the floor shaking, told in fragments with the minutes, the eyes or the recovery position.
    (
        re.compile(
            r"^(?=.*\bon (?:the )?floor\b)(?=.*\bshaking\b)"
            r"(?=.*\b(?:eyes (?:weird|rolled|rolling|funny|gone|went)|"
            r"put (?:him|her|them) on (?:his|her|their) side)\b)"
        ),
        "seizure",
    ),
    # An electric shock that threw someone or left a burn or chest pain (NHS: call 999).
    (
        re.compile(
            r"(?<!static )\belectric(?:al)? shock\b(?! (?:feelings?|sensations?|pains?|like)\b)"
            r"(?:(?!\b(?:no|not|didn't|without)\b)[^.!?]){0,80}\b(?:threw|thrown|chest|burn|burns|"
            r"heart|unconscious|knocked out|collapsed|palpitations)\b"
        ),
        "major_injury",
    ),
    # A belly gone hard with sudden or agonising pain: "sudden agonising pain in my stomach,
    # like being stabbed, belly rock hard" (peritonitis until shown otherwise).
    (
        re.compile(
            r"^(?=[^.!?]*\b(?:belly|tummy|stomach|abdomen)\b)[^.!?]*\b(?:sudden|agoni[sz]ing|"
            r"excruciating|unbearable)\b[^.!?]{0,80}\b(?:rock hard|hard as a board|rigid)\b"
        ),
        "stated_emergency",
    ),
    # A farewell with things put in order: "'this is the last time you'll see me, I've sorted
    # things'" (not "...at the surgery, we're moving to Leeds").
    (
        re.compile(
            r"\blast time (?:you'll|you will|you) (?:ever )?see me\b"
            r"(?=[^.!?]{0,60}\b(?:sorted|goodbye|gave|giving|given|had enough|done)\b)"
        ),
        "suicidal_thoughts",
    ),
    # Going to sleep and not waking, with the means or the end told: "I'm going to go to sleep
    # and not wake up, got the pills sorted" (not the fear of it with sleep apnoea).
    (
        re.compile(
            r"^(?=.*\b(?:pills|tablets|had enough|sorted|goodbye)\b)"
            r".*\b(?:going to|gonna) go to sleep and (?:not|never) wake up\b"
        ),
        "suicidal_thoughts",
    ),
    # Looking up a lethal number of tablets: "looking up how many paracetamol it takes" (not
    # "how many calories it takes").
    (
        re.compile(
            r"\b(?:looking|looked|look|searching|searched|googling|googled) up how many "
            r"(?:\w+ ){0,2}(?:paracetamol|co-codamol|tablets|pills|painkillers|ibuprofen|codeine|"
            r"sleeping pills)\b"
        ),
        "suicidal_thoughts",
    ),
    # "what's the point, I won't be around by the weekend"
    (
        re.compile(r"\bwhat'?s the point\b[^.!?]{0,40}\bwon'?t be (?:around|here)\b"),
        "suicidal_thoughts",
    ),
    # Found on the floor after a night there: a long lie, and cold ("found on her kitchen floor
    # after being there all night", "found her on the floor, been there since she got up in the
    # night"), not a night slept on a floor.
    (
        re.compile(
            r"^(?!.*\b(?:slept|sleeping|crashed|sleepover|camping)\b).*"
            # someone found on the floor (not an object: "found the remote on the floor")
            r"(?:\b(?:found (?!(?:the|a|an|it|this|that|some) )(?:[\w']+ ){0,2}?(?:on|lying)|"
            r"lying|lay|lain|laid|stuck|"
            r"couldn't get up|can't get up|been lying|been stuck|been on)\b[^.!?]{0,40}\bfloor\b"
            r"[^.!?]{0,80}\b(?:all night|overnight|since (?:last night|yesterday|the early hours)|"
            r"(?:been|lying|lain|lay) there (?:since|for|all|\d+|\w+ hours))\b"
            # or after a fall, without the floor: "fell and has lain there till morning"
            r"|\b(?:fell|fallen|a fall)\b[^.!?]{0,60}\b(?:lying|lain|lay|been) there\b[^.!?]{0,20}"
            r"\b(?:for hours|all night|overnight|till morning|until morning|since))"
        ),
        "cold_exposure",
    ),
    # A scald that has taken the skin off: "pulled a pan of boiling water onto himself, the
    # skin's peeling off" (a deep burn: NHS, A&E); never sunburn peeling, a scald on the tongue,
    # lips or a finger, or one healing days later.
    (SCALD_SKIN_OFF, "burn"),
    (SCALD_SKIN_OFF, "large_area"),
    # Someone lying still, called by name, who does not answer: "on the floor, calling her name
    # loud, no answer" (not a child who ignores it, nor a call on the phone or through a door).
    (
        re.compile(
            r"^(?=.*\b(?:collaps\w*|slumped|unconscious|passed out|not moving|on the floor|"
            r"on the ground|not getting up|isn't getting up|won't get up|won't wake|not waking|"
            r"rousing)\b)"
            r"(?!.*\b(?:autis\w*|hearing|deaf|headphones|ears|nursery|school|ignor\w*|tantrum|"
            r"rude|sulk\w*|engrossed|reading|xbox|waiting room|normal)\b)"
            r".*\b(?:call\w*|shout\w*|say\w*|said) (?:out )?(?:his|her|their) name\b"
            r"(?:(?!\b(?:phone|mobile|door|line|text)\b)[^.!?]){0,40}"
            r"\b(?:no answer|no response|nothing back|doesn't answer|didn't answer|"
            r"won't answer|isn't answering|not answering|doesn't respond|didn't respond|"
            r"won't respond)\b"
        ),
        "unresponsive",
    ),
    # Someone unrousable told in few words: "shake, no wake" (not a "no wake window", nor a
    # funeral's wake), and one who "won't rouse" (not "won't rouse my partner", "for school").
    (
        re.compile(
            r"\b(?:shake|shook|shaking|tried|rousing)\b[^.!?]{0,30}\bno wake\b"
            r"(?!\s*(?:window|-?up|for))"
            r"|\b(?:won't|will not|wouldn't) rouse\b(?! (?:my|me|him|her|them|the|for|us)\b)"
        ),
        "unresponsive",
    ),
    # Self-harm under way: "I'm cutting myself", "I'm cutting again and it's deep", "cutting my
    # arms and I can't stop" (not cutting carbs again for a show, a tooth or a fringe).
    (
        re.compile(
            r"\b(?:i'?m|i am|he'?s|she'?s|he is|she is|they're|they are) cutting (?:myself|himself|"
            r"herself|themselves|deeper)\b"
            r"|\b(?:i'?m|i am|he'?s|she'?s|he is|she is|they're|they are) cutting "
            r"(?:my|his|her|their) (?:arms?|wrists?|thighs?|legs|skin|stomach)\b"
            r"(?![^.!?]{0,30}\bshav\w*)"
            # "cutting right now", or "again" with a sign of self-harm (not dieting for a show)
            r"|^(?!.*\b(?:carbs|sugar|gluten|weight|diet\w*|calories|tooth|teeth|molars?|fringe|"
            r"hair|bodybuilding|lose|shav\w*|gums?|bulk\w*)\b)"
            r"(?:(?=.*\b(?:self[- ]?harm\w*|blade|razor|wrists?|deep|deeper|blood|bleeding|"
            r"can't stop|won't stop|scars?)\b).*\b(?:i'?m|i am|he'?s|she'?s|he is|she is|they're|"
            r"they are) cutting again\b"
            r"|.*\b(?:i'?m|i am|he'?s|she'?s|he is|she is|they're|they are) cutting right now\b)"
        ),
        "suicidal_thoughts",
    ),
    # The end set for a time, with despair told: "letters posted. I'll take the lot at
    # midnight"; pills at hand and "tonight's the night" (not a new prescription to start, nor
    # the rest of a repeat "when it comes").
    (
        re.compile(
            rf"^(?=.*\b{_DESPAIR}\b)"
            r"(?!.*\b(?:forgot|missed|prescription|pharmacy|should i|is that ok)\b).*"
            r"\b(?:(?:i'?ll|i will|i'?m going to|going to|gonna) take|i'?m taking) "
            r"the (?:whole )?lot\b"
            r"(?=[^.!?]{0,25}\b(?:tonight|midnight|later|when|after|at \d))"
            r"|^(?=.*\b(?:pills|tablets|meds|rope|insulin)\b)(?!.*\b(?:start\w*|new|first)\b)"
            r"(?!.*\?).*\btonight(?:'?s| is) the night\b"
            # or with despair told: "cant do this anymore. tonight's the night"
            rf"|^(?=.*\b{_STRONG_DESPAIR}\b)(?!.*\?)(?!.*\b(?:diet|date|prep|takeaway|move|"
            r"moving|play|exam|party|sober|start\w*)\b).*\btonight(?:'?s| is) the night\b"
        ),
        "suicidal_thoughts",
    ),
    # Tablets taken with despair told in the same message are taken on purpose: "I took about
    # 30 paracetamol ... because I wanted it all to be over", "mi can't tek it no more, mi jus
    # swallow di whole box" (an overdose that the text tells raises the flag of an attempt).
    (
        re.compile(
            rf"^(?=.*\b{_DESPAIR}\b)"
            r"(?!.*\b(?:by accident|accidental\w*|by mistake|didn'?t mean|not on purpose|"
            r"didn'?t do it on purpose)\b)"
            r".*\b(?:took|taken|swallowed|swallow|downed|necked|had|eaten|ate)\b[^.!?]{0,50}\b"
            r"(?:tablets|pills|paracetamol|painkillers|box|packet|bottle|meds|capsules)\b"
        ),
        "on_purpose",
    ),
    # Insulin saved up or to be injected all at once, with despair told: "can't face another
    # day. I've saved up my insulin pens and I'm injecting the lot" (not saved for a holiday,
    # nor the whole dose of a routine injection).
    (
        re.compile(
            rf"^(?=.*\binsulin\b)(?=.*\b(?:{_DESPAIR}|stockpil\w*|hoard\w*)\b)"
            r"(?!.*\b(?:holiday|travel|fridge|sharps|years ago|b12|flu jabs?|vet|dog|cat)\b).*"
            r"\b(?:inject|injecting|injected|take|taking|took) (?:the (?:whole )?lot|all (?:of )?"
            r"(?:my|the|his|her) insulin|them all|it all|all of (?:it|them)|the whole pen)\b"
            # or all of it at once, which no dose ever is
            r"|^(?=.*\binsulin\b).*\b(?:inject|injecting|injected|take|taking|took) (?:the "
            r"(?:whole )?lot|all (?:of )?(?:my|the|his|her) insulin|(?:them|it) all|all of (?:it|"
            r"them)) (?:at once|in one go|all together)\b"
        ),
        "suicidal_thoughts",
    ),
    # About to jump from somewhere high: "on top of the multi-storey and he's gonna jump" (not
    # into a pool, off a trampoline or a climbing frame, on a plane, nor out of one's skin).
    (
        re.compile(
            r"^(?=.*\b(?:multi-storey|multi storey|bridge|roof|rooftop|ledge|cliff|building|"
            r"balcony|car park|tower|flyover|viaduct|\d+(?:st|nd|rd|th) floor|flats|"
            r"tower block)\b)"
            r"(?!.*\b(?:trampoline|pool|puddle|queue|parachute|bungee|skydiv\w*|hoops?|scared of "
            r"heights|climbing|dental|parkour|header|plane|as a teenager|last year|years ago|"
            r"was (?:going|about) to|film|cat|dog|spider-?man|i'm not suicidal|don't feel like|"
            r"wouldn't ever|would never)\b)"
            r".*(?<!not )(?<!n't )(?<!never )"
            r"\b(?:gonna|going to|about to|wants? to|threatening to|he'll|she'll|i'll) jump\b"
            r"(?! (?:on|in|at|straight|out of (?:my|his|her|your) skin|to|for|between|up|around|"
            r"about|over|the (?:fence|wall|gun|queue|stream|puddle))\b)"
        ),
        "suicidal_thoughts",
    ),
    # Tried to wake and nothing: "we try to wake him, nothing" (not a teenager for school).
    (
        re.compile(
            r"^(?!.*\b(?:school|alarm|get up|got up|out of bed|heavy sleeper|teenagers?|lie[- ]in|"
            r"for work)\b).*"
            r"\b(?:try|tried|trying) (?:to wake|waking) (?:him|her|them|my \w+|his \w+|her \w+)\b"
            r"(?: up)?[^.!?]{0,15}\b(?:nothing|no response|no answer)\b(?! works)"
        ),
        "unresponsive",
    ),
    # A nosebleed of twenty minutes or more now (NHS: A&E after 10 to 15 minutes of pressure),
    # not one that lasted that long once, or usually does, nor a question for another time.
    (
        re.compile(
            r"^(?!.*\b(?:yesterday|last (?:week|night)|lasted|fine now|settled|gets|every|"
            r"usually|if|don't have|this morning|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)"
            r"(?!.*(?<!n't )(?<!not )(?<!never )\bstopped\b)(?!(?!.*\bstarted\b).*\bago\b).*"
            r"\b(?:nose ?bleed(?:s|'s)?|bleeding from (?:the|my|his|her) nose)\b[^.!?]{0,30}"
            r"\b(?:going on |for |lasting )?(?:over |more than )?"
            r"(?:[2-9]\d|1\d\d) ?(?:mins?|minutes)\b"
        ),
        "severe_bleeding",
    ),
    # "I'm taking all my pills tonight": the means and the time (not "should I be taking all my
    # tablets tonight instead?", nor "with food").
    (
        re.compile(
            r"^(?!.*\b(?:missed|forgot|correctly|as prescribed|is that ok)\b)(?!.*\?).*"
            r"(?<!should be )(?<!can i )(?<!to be )(?<!should i be )"
            r"\b(?:taking|going to take|gonna take) all (?:of )?my "
            r"(?:pills|tablets|meds|medication) "
            r"(?:tonight|today)\b(?! (?:with|instead|after|before|as)\b)"
        ),
        "suicidal_thoughts",
    ),
    # The means and the plan: "I have bought many sleeping pills and I plan to take all of them
    # tonight" (not "going to take them all with food?").
    (
        re.compile(
            r"^(?=.*\b(?:pills|tablets|meds|painkillers|paracetamol)\b)(?!.*\?)"
            r"(?!.*\b(?:missed|forgot|as prescribed|course|with (?:food|water|a meal))\b).*"
            r"\b(?:plan to|planning to|going to|gonna|i'll|i will|want to) (?:take|swallow) "
            r"(?:all of them|them all|the lot|every one of them|the whole lot)\b"
            r"(?=[^.!?]{0,20}\b(?:tonight|today|later|now|when)\b)"
        ),
        "suicidal_thoughts",
    ),
    # A plan to drive into something: "he's going to drive his car into the quarry tonight".
    (
        re.compile(
            r"\b(?:going to|gonna|will|wants? to|threatening to|threatened to|he'll|she'll|i'll|"
            r"thinking (?:about|of)|think about|thoughts of) "
            r"(?:drive|driving) (?:his|her|my|the|their) (?:car|van|truck|cab|taxi|lorry) "
            r"(?:into|off) (?:the|a) (?!lake district|peak district)"
            r"(?:quarry|river|sea|cliff|wall|tree|lake|canal|harbour|reservoir|bridge)\b"
            r"(?! (?:car park|entrance|road|lane)\b)"
        ),
        "suicidal_thoughts",
    ),
    # A wound "gushing", or "a pool of it", told apart from the word blood: "deep cut to the
    # back of his leg and it's gushing" (not waters breaking, pus or a tap).
    (
        re.compile(
            r"^(?=.*\b(?:cut|gash\w*|wound|stabbed|slashed|glass|knife|lacerat\w*|attacked|hook|"
            r"(?<!shoulder )blade|yanked|ripped|torn)\b)"
            r"(?!.*\b(?:waters?|pus|tap|sweat\w*|nose ?bleed|period|yesterday|last (?:week|night)"
            r"|stopped|nose|sorted|plaster|settled|took my blood|blood test|pads?)\b).*"
            r"(?:(?<!not )(?<!n't )\b(?:it's|it is|it was|still|started|keeps|kept) gushing\b"
            r"|\bpool of it\b|\b(?:gone|soaked|bled) through (?:two|three|2|3|several) towels\b)"
        ),
        "severe_bleeding",
    ),
    # GTN used and the pain not easing: "used the spray 3 times in 15 min and the crushing pain
    # is not shifting" (not a nasal or throat spray).
    (
        re.compile(
            r"^(?=.*\b(?:gtn|glyceryl trinitrate|angina|nitro\w*)\b)"
            r"(?!.*\b(?:nasal|nose|throat|inhaler|hay ?fever|worked|headache|blood pressure)\b).*"
            r"\b(?:used|had|taken|took|tried|sprayed) (?:the|my|his|her) (?:gtn )?spray\b"
            r"[^.!?]{0,60}\b(?:pain|chest|pressure|ache)\b[^.!?]{0,25}"
            r"\b(?:not|isn'?t|hasn'?t|no|nothing|still) (?:shifting|helping|working|touching|"
            r"easing|eased|relief|effect|better|going|there)\b"
        ),
        "gtn_not_working",
    ),
    # A child who had some of someone's methadone: "left his methadone bottle open and my
    # 4 year old had some".
    (
        re.compile(
            r"^(?=.*\b(?:toddler|child|kid|baby|little one|(?:[1-9]|1[01]) ?(?:yo|y/o|year old|"
            r"years old))\b)(?=.*\bmethadone\b).*"
            r"(?:\b(?:had|drank|drunk|swallowed|took|got into|sipped) (?:some|a mouthful|a sip|"
            r"a bit|it)\b(?=\s*(?:[,.!?]|$|of (?:it|the|his|her|my|your|dad's|daddy's|mum's)\b))"
            r"|\b(?:drank|drunk|swallowed|sipped) (?:some )?(?:of )?(?:the |his |her |my )?"
            r"methadone\b)"
        ),
        "overdose",
    ),
    # On a bridge or a roof and unable to go on: "I can't do this anymore. I'm on the bridge
    # near school".
    (
        re.compile(
            r"^(?=.*\b(?:i'?m|i am|he'?s|she'?s|he is|she is|they'?re) (?:\w+ )?(?:on|at) "
            r"(?:the|a) (?:bridge|cliff|cliffs|edge|roof|ledge|tracks|multi-storey)\b)"
            r"(?=.*\b(?:can'?t do this|can'?t go on|can'?t take (?:it|this)|had enough|"
            r"wanted someone to know|no point|goodbye)\b)"
        ),
        "suicidal_thoughts",
    ),
    # A chemical in the eye (NHS: A&E after rinsing): "splashed oven cleaner in my eye" (not
    # yesterday's, nor one fine now).
    (
        re.compile(
            r"^(?!.*\b(?:yesterday|last (?:week|night)|fine now|years ago|ok now|okay now|drops|"
            r"no (?:\w+ )?(?:chemicals?|bleach|cleaner))\b)(?!.*\?).*"
            r"\b(?:oven cleaner|toilet cleaner|bleach|caustic|drain cleaner|battery acid|cement|"
            r"ammonia|chemicals?|lime|descaler)\b(?: \w+){0,2}? (?:in|into) "
            r"(?:my|his|her|their|the|both(?: of)?(?: his| her| my)?) eyes?\b"
        ),
        "major_injury",
    ),
    # No answer however loud: "she doesn't answer however loud I shout".
    (
        re.compile(
            r"^(?!.*\b(?:surgery|reception|ring\w*|hearing|glue ear|deaf|ears?|(?:phone|line) "
            r"(?:doesn'?t|won'?t|isn'?t|didn'?t))\b).*"
            r"\b(?:doesn'?t|won'?t|didn'?t|isn'?t|not|can'?t get (?:him|her) to) "
            r"(?:answer|respond)\w* (?:me |us )?(?:however|no matter how) loud\b"
        ),
        "unresponsive",
    ),
    # Spots like bruises: "small spots like bruise on his chest" (purpura).
    (
        re.compile(
            r"^(?!.*\b(?:knock\w*|bump\w*|fell|weeks ago|banged)\b).*"
            r"(?<!no )(?<!any )(?<!not )\b(?:spots?|dots?|blotches)\b (?:\w+ ){0,2}?"
            r"like (?:a )?bruis\w*"
        ),
        "non_blanching_rash",
    ),
    # The worst "in her life" said of a headache ("she has a headache ... she say it is the worst
    # in her life"), not a cold that is the worst one in my life.
    (
        re.compile(
            r"^(?=.*\b(?:headache|head pain|pain in (?:my|her|his|the) head|head (?:hurts|is "
            r"pounding|is splitting))\b)(?!.*\b(?:head cold|hangover|flu|toothache)\b)"
            r".*\bworst in (?:my|her|his|their) life\b"
        ),
        "worst_headache",
    ),
    # "Like something burst" beside the head or skull: "pain at the back of his skull like
    # something burst" (not in an ear or a knee).
    (
        re.compile(
            r"^(?!.*\b(?:ears?|flight|plane|blister|spot|balloon|last week|gone now)\b).*"
            r"(?:\b(?:head|skull)\b[^.!?]{0,40}\blike (?:something|it) (?:burst|exploded)\b"
            r"|\blike (?:something|it) (?:burst|exploded)\b[^.!?]{0,30}\b(?:head|skull|brain)\b)"
        ),
        "worst_headache",
    ),
    # Snorting and gasping in sleep is snoring (sleep apnoea), not someone awake fighting for
    # breath.
    (
        re.compile(
            r"^(?=.*\b(?:asleep|sleep\w*|night|nights|in bed|snor(?:e|es|ing))\b)"
            r"(?!.*\b(?:woke|awake|still|sitting up|can't wake|won't wake)\b)"
            r".*\bsnort(?:s|ing|ed)? and gasp"
        ),
        "snoring",
    ),
    # Sweating that has stopped in the heat or after a run: a sign of heatstroke (not "hasn't
    # stopped sweating", nor night sweats gone).
    (
        re.compile(
            r"^(?=.*\b(?:heat|sun|hot|run\w*|marathon|exercis\w*|festival|race)\b).*"
            r"(?<!n't )(?<!not )(?<!never )\bstopped sweating\b(?! (?:at night|in the night))"
        ),
        "heat_exposure",
    ),
    # A child who ate someone's medicine: "I think he's eaten some of my sertraline".
    (
        re.compile(
            rf"^(?=.*\b(?:son|daughter|toddler|child|kid|boy|girl|baby|year old|grandson|"
            rf"granddaughter|twins?|\d+ ?(?:yo|y/o|yr old|yrs old))\b)"
            rf".*\b(?:eaten|ate|swallowed|chewed)\b "
            rf"(?:(?:\w+ ){{0,2}}(?:of )?(?:my|the|mum's|dad's|nan's|grandma's|grandad's)|"
            rf"(?:some|a few|all|loads|lots|the whole) of (?:his|her)) "
            rf"(?:{_MEDICINE_NAMES})\b"
        ),
        "overdose",
    ),
    # A child who got at someone's medicine (not one who "nearly got at my tablets").
    (
        re.compile(
            rf"(?<!almost )(?<!nearly )\bgot at (?:the|my|his|her|mum's|dad's|nan's|grandma's) "
            rf"(?:{_MEDICINE_NAMES})\b"
        ),
        "overdose",
    ),
    # A whole week's tablets taken at once or by mistake (not a course finished or packed).
    (
        re.compile(
            r"^(?=.*\b(?:at once|in one go|all together|by mistake|accidentally|on purpose|"
            r"this morning|dosette)\b)"
            r".*\b(?:taken|took|swallowed)\b[^.!?]{0,20}\bwhole week(?:'s| of) "
            r"(?:tablets|pills|meds|medication)\b"
        ),
        "overdose",
    ),
    # Intent to hang oneself or to throw oneself off something high (not "upside down on the
    # monkey bars", nor off the bed or a diving board for fun).
    (
        re.compile(
            r"\b(?:going to|gonna|he'll|she'll|i'll|will|threatening to|threatened to|wants? to|"
            r"want to|thinking about|talking about) hang(?:ing)? (?:himself|herself|myself)\b"
            r"(?! upside)"
            r"|^(?!.*\b(?:for fun|excited|nervous|tips|daredevil)\b).*"
            r"\b(?:going to|gonna|he'll|she'll|i'll|will|threatening to|wants? to|want to) throw "
            r"(?:himself|herself|myself) (?:off|from|under|in front)\b"
            r"(?! (?:the |a |his |her |my )?"
            r"(?:bed|sofa|couch|diving board|high dive|swing|monkey bars|climbing frame|trampoline|"
            r"wall bars)\b)"
        ),
        "suicidal_thoughts",
    ),
    # Someone who suddenly cannot understand what is said to them (not over a bad line or in
    # another language).
    (
        re.compile(
            r"^(?!.*\b(?:line|phone|call|accent|english|language|french|spanish|translator|"
            r"interpreter)\b).*"
            r"\b(?:can't|couldn't|cannot) understand a word (?:i say|i said|i'm saying|we say|"
            r"we said|anyone says)\b"
        ),
        "speech_difficulty",
    ),
    # A headache unlike the usual migraines that came on at once: "I get migraines but this is
    # nothing like them, it hit me all in one go".
    (
        re.compile(
            r"^(?=.*\bmigraines?\b[^.!?]{0,40}\b(?:nothing like|not like|different (?:from|to))\b)"
            r"(?=.*\b(?:all in one go|all at once|out of nowhere|in seconds|"
            r"like a hammer|like a bang|exploded|instantly|suddenly)\b)"
        ),
        "worst_headache",
    ),
    # A fit told across commas: "whole body shaking, eyes going up", "arms and legs jerking,
    # bit his tongue".
    (
        re.compile(
            r"\b(?:whole body|all (?:his|her) body|arms and legs) (?:is |was |are |were )?"
            r"(?:shaking|jerking|twitching|going)\b[^.!?]{0,60}\b(?:eyes? (?:going|gone|rolled|"
            r"rolling|went) (?:up|back)|bit (?:his|her|my) tongue|bite (?:his|her) tongue|"
            r"foam\w*|froth\w*)"
        ),
        "seizure",
    ),
    # Several days' tablets at once: "took her dosette box wrong: Monday to Thursday all at
    # once", "three days' tablets in one go".
    (
        re.compile(
            r"^(?!.*\b(?:fill|fills|filled|filling|pharmacy|chemist|dispens\w*|gives me)\b).*"
            r"(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day to "
            r"(?:mon|tues|wednes|thurs|fri|satur|"
            r"sun)day\b[^.!?]{0,20}\b(?:all at once|in one go|at once)\b"
            r"|\b(?:[2-9]|two|three|four|five|six|seven|several) days'? (?:worth of )?(?:tablets|"
            r"pills|meds|medication|medicines|doses)\b[^.!?]{0,20}"
            r"\b(?:all at once|in one go|at once)\b"
            r"|\bdosette\b[^.!?]{0,60}\b(?:all at once|in one go)\b"
            r"|\b(?:a|this|last|the whole|a whole) week'?s (?:worth of )?(?:tablets|pills|meds|"
            r"medication|dosette)\b[^.!?]{0,20}\b(?:all at once|in one go|at once)\b)"
        ),
        "overdose",
    ),
    # An empty pack of someone's medicine found: "found empty box of my sertraline in my son's
    # room" (not a bottle of wine or juice).
    (
        re.compile(
            r"\bfound (?:an |the |a |two |some )?empty (?:(?:pill|tablet|medicine) )?(?:box|boxes|"
            r"packets?|blister packs?|bottles?|strips?|tubs?|packs?)(?: of (?:my|his|her|their|the|"
            rf"mum's|dad's|nan's) (?:{_MEDICINE_NAMES})\b|(?<=pill box)|(?<=pill bottle)|"
            r"(?<=tablet box)|(?<=tablet bottle)|(?<=medicine bottle))"
        ),
        "overdose",
    ),
    # A household chemical drunk by mistake, told across "but": "swigged from a bottle he
    # thought was water but it was a caustic cleaning chemical".
    (
        re.compile(
            r"\b(?:swigged|drank|swallowed|gulped|sipped)\b[^.!?]{0,60}\b(?:caustic|chemical|"
            r"cleaning (?:fluid|product|spray)|descaler|dishwasher tablet|oven cleaner)\b"
        ),
        "overdose",
    ),
    # A dishwasher or laundry capsule bitten: "my 2 year old bit into one of the liquid
    # dishwasher capsules" (not hands sore "a bit" from handling them).
    (
        re.compile(
            r"\b(?:bit|bitten|chewed|chewing|biting) (?:into )?(?:a|one of (?:the|my|our)|the|"
            r"some of a|part of a) (?:\w+ )?(?:dishwasher|laundry|washing|liquid) "
            r"(?:capsules?|tablets?|pods?)\b(?! box| drawer)"
        ),
        "overdose",
    ),
    # Foraged mushrooms eaten, then sick: "foraging ... ate some mushrooms ... vomiting".
    (
        re.compile(
            r"^(?=.*\b(?:forag\w*|wild mushrooms?|picked (?:some )?mushrooms?|"
            r"mushrooms? (?:from|in|off|on) "
            r"(?:the |a )?(?:field|woods?|garden|park|lawn))\b)"
            r"(?=.*\b(?:vomit\w*|diarrh\w*|confus\w*|drows\w*|cramps?)\b)"
            r".*\b(?:ate|eaten|eating|had|cooked)\b[^.!?]{0,40}\bmushrooms?\b"
        ),
        "overdose",
    ),
    # A child given the wrong medicine: "given our 6 week old the wrong Calpol".
    (
        re.compile(
            r"\b(?:given|gave|give|giving) (?:[\w']+ ){0,4}?(?:the )?wrong (?:calpol|paracetamol|"
            r"ibuprofen|nurofen|medicine|medication|tablets?)\b"
            r"(?![^.!?]*\b(?:noticed|didn't (?:take|give)|before (?:i|she|he) (?:took|gave))\b)"
        ),
        "overdose",
    ),
    # "want to go all the way and not wake up" (not "sleep in and not wake up till noon").
    (
        re.compile(
            r"\bwant(?:ed|s)? to (?:[\w']+ ){0,5}?(?:and )?(?:not|never) wake up\b"
            r"(?! (?:till|until|before|at|early|for|in|with|every|hungry|stiff|tired|sore)\b)"
        ),
        "suicidal_thoughts",
    ),
    # "I don't think I can keep going" said on its own (not "keep going to the gym").
    (
        re.compile(
            r"(?:^|(?<=[.!?] ))(?![^.!?]*\b(?:hill|walk\w*|gym|stairs|run|running|climb\w*|uphill|"
            r"miles?|exercise|work|shift|job|course|degree)\b)[^.!?]*?"
            r"\b(?:(?:don'?t|do not) think i can|i can'?t|i cannot|i can not) keep going"
            r"(?:\s+(?:on|any ?more|like this|with (?:this|my) life))?\s*(?:[.,;!?]|$)"
        ),
        "suicidal_thoughts",
    ),
    # Someone pulled from the water: "went overboard ... 10 minutes in the water".
    (
        re.compile(
            r"\b(?:went|gone|fell|fallen) overboard\b(?! (?:with|at|on|in)\b)"
            r"(?=[^.!?]{0,80}\b(?:water|sea|"
            r"river|got (?:him|her|them) out|pulled (?:him|her|them) out)\b)"
            r"|\bman overboard\b"
        ),
        "major_injury",
    ),
    # "smashed my head on a beam" is a knock (and "head feels smashed" a headache).
    (re.compile(r"\bsmashed (?:my|his|her|their) head\b"), "head_injury"),
    # A Glasgow Coma Scale of 8 or less: "GCS ~8", "GCS 6/15", "GCS dropped to 8" (not "GCS 3
    # hourly" obs, nor a score told as past or since recovered: "GCS 6 at the time, now 15").
    (
        re.compile(
            r"(?:^|(?<=[.!?]))(?![^.!?]*\b(?:ago|at the time|yesterday|hourly|obs|now 1[0-5]|"
            r"mean\w*|what (?:does|is))\b)"
            r"[^.!?]*?\bgcs\W{0,3}(?:(?:is|was|of|now|down to|dropped to|went down to|fell to|"
            r"about)\W+)?[3-8](?![\d.,]\d)"
        ),
        "unresponsive",
    ),
    # "it would be easier not to wake up" (not "is it better not to wake up a sleepwalker?").
    (
        re.compile(
            r"(?<!is it )(?<!would it be )\b(?:easier|better)(?: just)? not to wake up\b"
            r"(?! (?:a|an|the|my|him|her|them|your|baby|babies|kids?)\b)"
        ),
        "suicidal_thoughts",
    ),
    # "feels like the only way out", "it's the only way out tbh" (not "the only way out of this
    # debt is bankruptcy", "the only way out of the car park").
    (
        re.compile(
            r"\b(?:feels?|felt|seems?|seemed) like (?:the|my) only way out\b(?! of\b)"
            r"|\bthe only way out\b(?=\s*(?:[.,;!?]|$|tbh|now|anymore|any more|left|for me)\b)"
        ),
        "suicidal_thoughts",
    ),
    # A labour too far on to wait: "she wants to push now", "the urge to push" (not "the urge
    # to push but nothing comes out" when constipated, nor "push for a referral").
    (
        re.compile(
            r"^(?=.*\b(?:pregnan\w*|labour|contractions?|waters|weeks|baby|midwife)\b)"
            r"(?!.*\b(?:constipat\w*|poo|stool|bowels?)\b)"
            r".*\b(?:wants?|needs?|urge|urges|feel(?:s|ing)? like pushing|need) to push\b"
            r"(?! (?:for|him|her|me|them|the|a|through|on|back|it|myself|harder)\b)"
        ),
        "emergency_birth",
    ),
    # AVPU "P": someone who responds only to pain (not "responds to pain relief").
    (
        re.compile(
            r"\b(?:only )?(?:respond(?:s|ing|ed)?|react(?:s|ing|ed)?) (?:only )?to pain\b"
            r"(?! (?:relief|killers?|meds|medication|gel|cream|tablets)\b)"
        ),
        "unresponsive",
    ),
    # A diabetic who will not take sugar in a hypo: "type 1, confused, won't take any sugar"
    # (not "won't take sugar in his tea").
    (
        re.compile(
            r"^(?=.*\b(?:diabet\w*|insulin|type 1|t1d|hypo\w*)\b).*\b(?:won'?t|will not|"
            r"refus(?:es|ed|ing) to|can't|cannot) (?:take|have|eat|swallow) (?:any )?(?:sugar|"
            r"glucose|sweets|jelly babies|lucozade|glucogel)\b(?! in\b)"
        ),
        "low_sugar",
    ),
    # An oxygen saturation of 92 % or less (NHS: a pulse oximeter reading of 92 or lower needs
    # A&E): "oxygen saturation 84%", "the oximeter on my 4 year old says 89-90%", "sats 88",
    # "dropped from 96% to 89%", "sats in the 80s". Not a usual level ("usually 88 with my
    # COPD"), a threshold ("below 92%"), one from long ago, a question of what if, a drama, a
    # nurse's patients, nor a battery, a screen or a course "at 90%".
    (
        re.compile(
            rf"(?:^|(?<=[.!?]))(?![^.!?]*\b(?:{_NOT_A_READING_NOW})\b)"
            # a usual level told as no change ("usually sit around 89%, no change today"), not
            # one that has dropped ("normally 92 but today sats 82%")
            r"(?![^.!?]*\b(?:usual\w*|normally|baseline|target)\b"
            r"(?![^.!?]*\b(?:but|dropp\w*|down to|fallen|fell|lower|worse)\b))"
            r"[^.!?]*?\b(?:oxygen|saturations?|sats?|o2|oximeter|pulse ox|"
            r"finger (?:monitor|probe|thing|clip))\b"
            # a pulse or a price on the same device is no oxygen level
            r"(?:(?:(?!pulse|heart|rate|hr\b|bpm|pounds|£|\$|quid)[^.!?]){0,30}?"
            r"(?<!usually )(?<!normally )(?<!normal )(?<!always )(?<!below )(?<!under )"
            r"(?<!than )(?<!above )"
            r"\b(?:[4-8]\d|9[0-2])(?:\s*-\s*9[0-2])?\s*(?:%|per ?cent)"
            r"|(?:(?!pulse|heart|rate|hr\b|bpm|pounds|£|\$|quid)[^.!?\d]){0,25}?"
            r"(?<!below )(?<!under )(?<!than )(?<!above )"
            r"\b(?:[4-8]\d|9[0-2])\b(?![.,]\d)"
            r"(?!\s*(?:%|per ?cent|minutes?|mins?|hours?|hrs?|years?|yrs?|litres?|l\b|ml|mg|kg|"
            r"bpm|beats|times|breaths|a minute|per minute|days?|weeks?|months?|year))"
            r"|[^.!?\d]{0,25}?\bin the [5-8]0s\b)"
        ),
        "low_oxygen",
    ),
    # More paracetamol than the daily limit, taken over days (a staggered overdose: NHS, go to
    # A&E): "paracetamol plus Lemsip ... way more than the limit, maybe 8g a day", "6g of
    # paracetamol a day", "double the max", "12 tablets a day", all in a sentence that names
    # paracetamol (not "careful not to go over the limit", "over the limit for driving", "5g a
    # day of creatine", nor a question of what would happen).
    (
        re.compile(
            r"(?:^|(?<=[.!?]))"
            r"(?=[^.!?]*\b(?:paracetamol|co-codamol|cocodamol|lemsip|calpol|panadol|tylenol|"
            r"acetaminophen|beechams)\b)"
            r"(?![^.!?]*\b(?:not|never|don't|didn't|won't) (?:to )?(?:go |take |have |exceed )?"
            r"(?:more than|over) the\b)"
            r"(?![^.!?]*\b(?:can|could|should|may) (?:i|you|we|he|she|it|taking) ?(?:take|have|go|"
            r"exceed|cause)?\b)"
            r"(?![^.!?]*\b(?:is it|would it be) (?:ok|okay|safe|fine|alright)\b)"
            r"(?![^.!?]*\b(?:what happens if|what if|i read|read that|pharmacist said|leaflet says|"
            r"can damage|driving|credit|overdraft|card|repeats|creatine|protein|fibre|fiber|"
            r"salt|sugar)\b)"
            r"[^.!?]*\b(?:(?:more than|over|above) the (?:daily |max |maximum )?"
            r"(?:limit|max|maximum|recommended (?:dose|amount))"
            r"|double the (?:max|maximum|dose|limit|recommended)"
            r"|(?:[5-9]|1\d)(?:\.\d)? ?(?:g|grams?)(?: of [a-z-]+)? (?:(?:a|per|each) day|daily)"
            r"|(?:1\d|2\d) (?:tablets|pills|caplets) (?:a|per|each) day)\b"
        ),
        "overdose",
    ),
    # Knocked out by a blow is a knock to the head ("got knocked out at touch rugby"), read
    # without taking the words, which also tell that he was out (not tablets that knocked
    # someone out).
    (
        re.compile(
            r"(?<!tooth )(?<!teeth )(?<!power )(?<!lights )"
            r"\b(?:got|was|were|been|being|gets) knocked out\b"
            r"(?!(?: cold)? (?:of|by|with|from|for|in the|during)\b)"
            r"(?! (?:by|with|from) (?:the |my |his |her )?(?:tablets|pills|meds|medication|flu|"
            r"cold|anaesthetic|sleeping|painkillers|drink|booze))"
        ),
        "head_injury",
    ),
    # A household poison drunk, however far apart the two are told: "mixing up the loft
    # disinfectant in a cup and my grandson (5) drank some of it thinking it was juice" (not
    # one that was not drunk, nor one put on a cut).
    (
        re.compile(
            r"^(?=.*\b(?:disinfectant|bleach|screen ?wash|antifreeze|anti-freeze|white spirit|"
            r"weed ?killer|paraffin|lamp oil|meths|methylated spirits?|turps|turpentine|descaler|"
            r"drain cleaner|oven cleaner|toilet cleaner|fabric conditioner|washing up liquid)\b)"
            r"(?!.*\b(?:didn'?t|did not|not|never|hasn'?t|wasn'?t) "
            r"(?:drink|drunk|drank|swallow\w*)\b)"
            r"(?!.*\b(?:on (?:a|the|his|her|my) (?:wound|cut|graze)|to clean)\b)"
            r".*\b(?:(?:drank|drunk|swallowed|gulped|sipped) (?:some|it|a bit|a little|a drop|"
            r"a mouthful|a sip|a gulp|half|most|the lot|from|out of|the (?:stuff|liquid|bottle|"
            r"cup))|had a (?:sip|gulp|mouthful)|thinking it was|thought it was)\b"
        ),
        "overdose",
    ),
    # A child who had some methadone: "my son (4) has drunk some of my methadone" (a grown-up on
    # a methadone script who drank tea is no poisoning).
    (
        re.compile(
            r"^(?=.*\b(?:son|daughter|toddler|child|kid|grandson|granddaughter|nephew|niece|baby|"
            r"little one|\(\d{1,2}\)|\d{1,2} ?(?:yo|year old|yr old))\b)"
            r".*\b(?:drunk|drank|swallowed|had|taken|took|got into)\b[^.!?]{0,30}\bmethadone\b"
        ),
        "overdose",
    ),
    # Belongings given away by someone with a goodbye: "giving away all his books and sets,
    # saying he won't be needing them, and goodbye to all" (not one's own crutches or a move).
    (
        re.compile(
            r"^(?=.*\bgoodbye\b)(?!.*\b(?:outgrown|grown out|moving|emigrat\w*|downsiz\w*|"
            r"retir\w*|leaving|house|flat|abroad|uni|university|wedding)\b)"
            r".*\b(?:giv\w*|gave) away (?:all )?(?:of )?(?:his|her|their)\b"
        ),
        "suicidal_thoughts",
    ),
    # Someone found on the floor has lain there, cold, for who knows how long (a long lie):
    # "found our neighbour (82) on his kitchen floor", "found gran on the floor this morning"
    # (not a ring found on the floor). Read without taking the words, which may tell a
    # collapse or a fit too.
    (
        re.compile(
            r"\bfound (?:him|her|them|mum|mam|dad|gran|nan|nana|granny|grandad|grandma|grandpa|"
            r"(?:my|our|the) (?:\w+ )?(?:neighbour|mum|mam|dad|nan|gran|grandad|grandma|husband|"
            r"wife|partner|father|mother|brother|sister|uncle|aunt|friend))\b(?: \(\d+\))?"
            r"[^.!?]{0,30}?\bon (?:the|his|her|their) (?:\w+ )?floor\b"
        ),
        "cold_exposure",
    ),
    # A gun got out and sat with, or held to oneself: "thinking about the shotgun in the cabinet
    # ... last night I got it out and sat with it" (not one cleaned, taken to the range or a
    # clay shoot, nor a glue or a nail gun).
    (
        re.compile(
            r"^(?=.*\b(?:shot)?guns?\b)"
            r"(?!.*\b(?:clay|clays|licen[cs]e|range|clean\w*|shoot(?:ing)? (?:season|club|day)|"
            r"game|video|toy|nerf|water gun|glue gun|nail gun|staple gun|heat gun|film)\b)"
            r".*\b(?:sat with it|sit with it|sitting with it|held it to|holding it to|"
            r"put it (?:to|in|under) (?:my|his|her) (?:head|mouth|chin)|loaded it (?:and|to)|"
            r"(?:using|use|turn|turning) it on (?:myself|himself|herself)|"
            r"thinking about (?:the|my|his|her|dad's) (?:shot)?gun\b[^.!?]{0,40}\b"
            r"(?:a lot|more than i should|all the time|constantly|every day|since))\b"
        ),
        "suicidal_thoughts",
    ),
)
# A peak flow at half the patient's best or less is a severe asthma attack (BTS/SIGN): "peak
# flow 120 (normal 450)", "peak flow 40%".
PEAK_FLOW = re.compile(
    r"\bpeak ?flows?\b\W+(?:(?:is|was|of|at|only|down to|dropped to|now|reading|today)\W+){0,3}"
    r"(\d{2,3})\b(?!\s*(?:am|pm|[:.]\d))\s*(%|percent\b)?"
    # a share of the best, not a change: "30% higher", "40% better after steroids"
    r"(?!\s*(?:higher|better|lower|down|up|worse|more|less|improve\w*|increase\w*|drop\w*)\b)"
)
BEST_PEAK_FLOW = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:normal|normally|best|usual|usually|pb|should be)\W+"
    r"(?:(?:is|was|of|about|around)\W+){0,2}(\d{2,3})\b(?!\s*%)"
)


def peak_flow_halved(text: str) -> bool:
    for match in PEAK_FLOW.finditer(text):
        value = int(match.group(1))
        if match.group(2):
            if value <= 50:
                return True
            continue
        best = BEST_PEAK_FLOW.match(text[match.end() : match.end() + 40])
        if best and value <= int(best.group(1)) / 2:
            return True
    return False


# How long it has gone on: "for 2 weeks", "a couple of months", "for ages". Not an age ("6 weeks
# old", "baby is 9 months"), a pregnancy ("30 weeks pregnant") or a rhythm ("every 3 days",
# "twice a year").
_HOW_MANY = r"(\d{1,3}|a few|a couple of|couple of|several|few|" + "|".join(NUMBER_WORDS) + ")"
DURATION = re.compile(
    rf"(?<!every )(?<!each )(?<!times )(?<!twice )(?<!once )(?<!per )"
    rf"\b{_HOW_MANY}\s+(?:or \w+\s+)?(days?|weeks?|wks?|months?|years?)\b"
    r"(?![- ]old|\W+pregnant|\W+apart)"
)
VAGUE_DURATIONS = {
    "for ages": 365, "for years": 365, "for months": 90, "for weeks": 21, "for a long time": 90,
    "since last week": 7, "since last month": 30, "since last year": 365,
}  # fmt: skip
VAGUE_DURATION = re.compile(r"\b(?:" + "|".join(VAGUE_DURATIONS) + r")\b")
DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}
HOW_MANY = {"a few": 3, "few": 3, "a couple of": 2, "couple of": 2, "several": 4}
NEWBORN = re.compile(
    r"\b(?:newborn|new born|new-born|neonate|just been born|born (?:last|this) week)\b"
)
WORD = re.compile(r"[a-z][a-z'-]+")
# Words that carry no symptom: they are neither matched nor reported as unknown.
_COMMON_WORDS = """
a an the i i'm im me my mine we our you your he she his her him they them it its this that
these those is am are was were be been being have has had having do does did doing feel feels
felt feeling get got getting since for from with and or of to in on at by as so very really
quite bit lot little some much many more most also too just still again now today yesterday
tonight morning evening night day days week weeks hour hours minute minutes month months ago
last started start starting begin began suddenly sudden bad badly worse worst severe mild slight
constant keep keeps kept when while after before about around like can could would should will
may might what which who there here then than left right side both sometimes often always every
each all any one two three four five few several no not without denies deny never none nor free
don't dont doesn't haven't didn't isn't aren't wasn't son daughter baby child kid boy girl
toddler infant newborn years year old
"""
COMMON = frozenset(_COMMON_WORDS.split())


@dataclass
class Reading:
    present: list[str] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    mentions_child: bool = False
    may_be_baby: bool = False  # a child, or a word that may be a baby's ("bubba", "4 wks")
    age_in_months: float | None = None  # the youngest age the text gives, if any
    about_someone_else: bool = False  # "my dad...": the writer's own age and sex do not apply
    talks_normally: bool = False  # "can talk fine": not too breathless to speak
    duration_days: float | None = None  # the longest time the text says it has gone on
    # The text with every denied finding, figure of speech and part told as history taken out
    # ("no thoughts of self-harm" keeps only "no thoughts of"), for readers that do not
    # understand negation or tense.
    affirmed_text: str = ""


TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|,")
# Apostrophes people leave out: "cant breathe" is "can't breathe".
CONTRACTIONS = {
    "cant": "can't", "wont": "won't", "dont": "don't", "doesnt": "doesn't", "didnt": "didn't",
    "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "couldnt": "couldn't", "im": "i'm",
    "ive": "i've", "hes": "he's", "shes": "she's", "havent": "haven't", "cannot": "can't",
}  # fmt: skip
# ...written back in before any regex reads the text: "cant do this anymore" is "can't do this".
APOSTROPHE_LEFT_OUT = re.compile(r"\b(?:" + "|".join(CONTRACTIONS) + r")\b")
# Words inside a phrase that the patient may leave out or put differently: "neck stiff" and
# "neck is so stiff" are "neck is stiff". A phrase's first and last words, and every other
# word, must be there, in order.
OPTIONAL_WORDS = frozenset(
    {"is", "are", "am", "was", "were", "be", "been", "being", "my", "his", "her", "their"}
    | {"your", "our", "the", "a", "an", "it", "its", "it's", "has", "have", "had", "i", "i've"}
    | {"i'm", "he", "she", "he's", "she's", "they"}
)
MAX_GAP = 3  # other words allowed between two words of a phrase ("face has gone all droopy")
MAX_EXTRA = 4  # other words allowed inside one phrase in all
# "chest & pressure": each word, in any order, at most UNORDERED_WINDOW words apart ("pressure
# in the middle of my chest", "my chest has a pressure on it").
UNORDERED = "&"
UNORDERED_WINDOW = 6
# Misspellings: a word of FUZZY_MIN_LENGTH letters or more that is neither in the phrase table
# nor an English word (pyspellchecker's dictionary: "spring" is not "spurting") is read as a
# table word that starts with the same letter and either scores FUZZY_SCORE or more (rapidfuzz's
# ratio, 0-100: "speach", "breatheing", "suicidle") or is one edit or one swap of two letters
# away ("pian", "blud"). The score was chosen on the tuning half of the test sets
# (inference.evaluate).
FUZZY_MIN_LENGTH = 4
FUZZY_SCORE = 80


def _stem(word: str) -> str:
    return STEMMER.stemWord(word)


def words_of(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word and comma, contractions restored."""
    return [
        (m.start(), m.end(), CONTRACTIONS.get(m.group(), m.group())) for m in TOKEN.finditer(text)
    ]


@dataclass(frozen=True)
class Phrase:
    code: str
    text: str
    words: tuple[str, ...]  # the match keys of the words that must be there, in order
    optional: frozenset[str]  # keys of the words that may be left out
    rank: int  # longer phrases first: "chest pain" wins over "pain"
    parts: tuple[tuple[str, ...], ...] = ()  # for "chest & pressure": each part, any order
    gaps: tuple[int, ...] = ()  # how many other words may come after each word


@dataclass(frozen=True)
class Lexicon:
    phrases_by_first_word: dict[str, tuple[Phrase, ...]]
    keys: frozenset[str]  # every key a phrase uses
    fuzzy_words: tuple[str, ...]  # table words that a misspelling may stand for
    fuzzy_key: dict[str, str]


# Everyday phrases that contain a symptom's words but say nothing about the body. They are
# matched first and then ignored: "a fit note" is no seizure, "dying to know" no emergency.
# They are left out of the text the learned detector reads too ("freezing to death").
NOT_A_FINDING = ""
# Words that name a finding but no one symptom ("no pain or bleeding at all"): matched only where
# no phrase took them, never a symptom, and left out of the detector's text only when denied.
UNNAMED_FINDING = "~"
UNNAMED_FINDINGS = (
    "pain", "pains", "bleeding", "bleed", "blood", "swelling", "swollen", "sickness", "sick",
    "faint", "hurt", "hurts", "ache", "aches",
)  # fmt: skip
FIGURES_OF_SPEECH = (
    "fit note",
    # a phone not answered says nothing of being awake
    "isn't answering phone",
    "not answering phone",
    "brain freeze",
    "knocked out of the",
    # knocked out by a medicine, the heat or the news, or out of a game: no one unconscious now
    "knocked out by the heat",
    "knocked out by the news",
    "knocked out by the codeine",
    "knocked out by the sleeping pill",
    "knocked out by the sleeping pills",
    "knocked out by the antihistamines",
    "knocked out by the anaesthetic",
    "knocked out by a general anaesthetic",
    "knocked out by the painkillers",
    "knocked out by the tablets",
    "knocked out by the pills",
    "knocked out by the meds",
    "knocked out by gas and air",
    "knocked out for my",
    "knocked out in the first round",
    "tooth was knocked out",
    "teeth were knocked out",
    "power was knocked out",
    "unresponsive to texts",
    "unresponsive to messages",
    "unresponsive to emails",
    "page unresponsive",
    "app unresponsive",
    "website unresponsive",
    "portal unresponsive",
    "fingers go white then blue",
    "fingers turn white then blue",
    "toes go white then blue",
    "blue ice lolly",
    # a nerve's pain told as a shock
    "electric shock pain",
    "electric shock pains",
    "electric shock feeling",
    "electric shock feelings",
    "electric shock sensation",
    "like an electric shock",
    "like electric shocks",
    "view & left me gasping",
    "fit as a fiddle",
    "doubled over laughing",
    "doubled over in laughter",
    "doubled over with laughter",
    "laughing & doubled over",
    "doubled over with cramp",
    "don't stay when & glass",
    "doesn't stay when & glass",
    "didn't stay when & glass",
    "doubled up laughing",
    "doubled over coughing",
    "doubled up coughing",
    "have to shake my hand",  # pins and needles shaken off, no fit
    "shake my hand out",
    "shake out my hand",
    "shake it out",
    "period hasn't come back",  # after a baby or an injection, not a period late now
    "periods haven't come back",
    "first period hasn't come",
    "capsule box",  # the box chewed, not a capsule
    "capsule drawer",
    "went overboard on",  # too much of something
    "went overboard with",
    "gone overboard with",
    "rope burn",
    "skipping rope",
    "rope swing",
    "ulcer on my tongue",
    "back of my tongue",
    "fit and well",  # healthy, not a fit
    "bike fit",
    "collapsed on the telly",  # a footballer seen on TV
    "collapsed on tv",
    "swallowed a lot of water",  # in a pool, coughed up
    "swallowed a lot of pool water",
    "head rush",  # on standing, for a second
    "lift fell",  # a lift that dropped, not a person
    "lift dropped",
    "elevator fell",
    "unresponsive whenever",  # "unresponsive whenever the football's on"
    "unresponsive when the football",
    "can't shake it",  # a low mood or a cold one cannot get rid of
    "non-toxic",  # a crayon, not a poison
    "blue foam",  # a dishwasher capsule's colour on the lips, not a lack of oxygen
    "blue gel",
    "blue dye",
    "blue ink",
    "look pregnant",  # a bloated belly: "I look 6 months pregnant by evening"
    "looks pregnant",
    "looking pregnant",
    "shake it off",
    "can't get back off",  # back to sleep, not "can't wake" (and see UP_OFF)
    "non emergency",
    "non-emergency",
    "when to call an ambulance",  # a question for another day
    "when should i call an ambulance",
    "dying with this",  # "I feel like I'm dying with this man flu"
    "new washing up liquid",  # on the hands, not swallowed
    "washing up liquid & hands",
    "can't get back to sleep",
    "can't get off to sleep",
    "dying for",
    "die for a",
    "would die for",
    "is it an emergency if",
    "minor car accident",  # seen by a doctor, not an ambulance
    "minor car crash",
    "small car accident",
    "small car crash",
    "car accident & whiplash",
    "car crash & whiplash",
    "whiplash & car",
    "car accident & yesterday",
    "car crash & yesterday",
    "car accident & last week",
    "car crash & last week",
    "seizures well controlled",  # a known epilepsy, treated
    "seizures are well controlled",
    "fits well controlled",
    "fit free",
    "cut myself shaving",  # an accident, not self-harm
    "cut myself cooking",
    "cut myself chopping",
    "worst hangover",
    "face & dentist",
    "face & dental",
    "slept on my arm",
    "fell asleep on my arm",
    "fell asleep on his arm",
    "fell asleep on her arm",
    "arm & fell asleep on it",
    "could die lol",
    "so stressed i could die",
    "dying with the thirst",
    "dying of thirst",
    "counts as an emergency",  # a question about emergencies in general
    "what is an emergency",
    "jerk awake",
    "killing me",
    "kill me if",
    "kill me when",
    "negative pregnancy test",
    "didn't do it on purpose",  # an accident
    "wasn't on purpose",
    "sick with worry",  # no nausea
    "fingers go white and then blue",  # in the cold: Raynaud's
    "stroke of genius",
    "stroke of luck",
    "no reactions in",  # an allergy quiet for years
    "no reactions since",
    "no reaction since",
    "sick with nerves",
    "low sugar diet",  # a diet, no hypo
    "dropped sugar from",
    "cut out sugar",
    "pregnancy test & negative",
    "test & negative",
    "food poisoning",
    "emergency contraception",
    "emergency appointment",
    "emergency dentist",
    "in an emergency",
    "blood test",
    "blood tests",
    "normal temperature",
    "drinking ok",  # fluids, not alcohol
    "drinking okay",
    "drinking fine",
    "drinking well",
    "drinking normally",
    "drinking plenty",
    "drinking fluids",
    "eating and drinking",
    "drinking and keeping",  # fluids kept down
    "managing fluids",
    "keeping fluids down",
    "fall or hurt myself",  # an accident, not self-harm
    "fell and hurt myself",
    "fell over and hurt myself",
    "slipped and hurt myself",
    "tripped and hurt myself",
    "hurt myself falling",
    "hurt myself lifting",
    "hurt myself playing",
    "hurt myself at the gym",
    "hurt myself at work",
    "hurt myself when i fell",
    "like a cold",  # the illness, not feeling cold
    "like a bad cold",
    "like a heavy cold",
    "like a head cold",
    "swallowing and breathing fine",
    "swallowing and breathing normally",
    "breathing and swallowing fine",
    "breathing and swallowing normally",
    "swallowing fine",
    "swallowing normally",
    "breathing fine",
    "breathing normally",
    "breathing ok",
    "breathing okay",
    "breathing normal",
    "rash fades",
    "rash & fades when i press",
    "rash & fades when pressed",
    "rash & fades under a glass",
    "rash & fades with a glass",
    "at what temperature should",  # a question, no temperature taken
    "what temperature should i worry",
    "rash faded",
    "spots fade",
    "spots faded",
    "rash disappears",
    "rash disappeared",
    "spots disappear",
    "rash goes away",
    "disappears when i press",
    "faded completely",
    "rash blanches",
    "spots blanch",
    "it blanches",
    "would kill me",
    "nearly had a fit",
    "have a fit when",
    "jerks & falling asleep",
    "jerk & falling asleep",
    "breath back",
    "wet nappies",
    "wet nappy",
    "died laughing",
    "die of embarrassment",
    "die of boredom",
    "freezing to death",
    "bored to death",
    "scared to death",
    "worried to death",
    "sick to death",
    "give me a heart attack",
    "gave me a heart attack",
    "have a heart attack if",
    "have a heart attack when",
    "bleach to clean",
    "trapped nerve",
    "trapped wind",
    "seizure free",
    "eye drops",
    "ear drops",
    "nose drops",
    "cough drops",
    "vitamin & twice",
    "multivitamin & twice",
    "spots that fade",
    "spots which fade",
    "rash that fades",
    "rash which fades",
    "dead & slept on it",
    "dead & sleeping on it",
    "dead & lying on it",
    "numb & slept on it",
    "numb & sleeping on it",
    "numb & lying on it",
    "numb & dentist",
    "numb & dental",
    "lopsided & dentist",
    "lopsided & dental",
    "total car crash",
    "so tired i could die",
    "dying of this cold",
    "dying of a cold",
    "dying of this flu",
    "dying of man flu",
    "not urgent",  # says so: a stated emergency it is not
    "ambulance & not urgent",  # "Subject: Ambulance - not urgent!" (patient transport)
    "patient transport",
    "medical emergency refresher",  # training for one, not one now
    "medical emergency training",
    "medical emergency course",
    "near drowning drill",  # practice, not a rescue
    "drowning drill",
    "gtn prescription",  # an errand: "the gtn prescription isn't working on the app"
    "don't fit",  # clothes: "his slippers don't fit"
    "doesn't fit",
    "no longer fit",
    "can't lift my arm above shoulder height",  # a stiff shoulder, not a weak arm
    "can't lift my arm above shoulder level",
    "raise my arm above my head",
    "gtn repeat",
    "not just when",  # "the room spins, not just when I move": no one lies still
    "not only when",
    "i look pregnant",  # bloated: "so bloated by evening I look pregnant"
    "look like i'm pregnant",
    "tired of living in",  # a home, not a life: "tired of living in this flat with the damp"
    "tired of living here",
    "tired of living next",
    "tired of living with",  # "sick and tired of living with this back pain"
    "choking back tears",  # upset, not choking
    "choking back the tears",
    "choked up",
    "twisted & dentist",  # numb from a dental injection
    "twisted & dental",
    "switched to a new bleach",  # cleaning with it, not swallowing it
    "bleach & without gloves",
    "bleach & wear gloves",
    "isn't urgent",
    "non urgent",
    "not an emergency",
    "nearly hit by a car",  # a near miss, told in order
    "almost hit by a car",
    "nearly run over",
    "almost run over",
    "hard to wake up in the morning",  # a heavy sleeper, not someone who cannot be woken
    "hard to wake up in the mornings",
    "hard to get up in the morning",
    "drinking heaps of water",  # fluids, not alcohol
    "drinking plenty of water",
    "drinking lots of water",
    "fit and healthy",
    "scared of having a heart attack",  # a worry for the future
    "worried about having a heart attack",
    "afraid of having a heart attack",
    "scared of having a stroke",
    "worried about having a stroke",
    "afraid of having a stroke",
    "risk of a heart attack",
    "risk of heart attack",
    "risk of a stroke",
    "risk of stroke",
    "throat tight with nerves",  # stage fright, not a swelling throat
    "little electric shock",  # a tingle from a plug, not an electrocution
    "small electric shock",
    "tiny electric shock",
    "mild electric shock",
    "static shock",
    "i'm a paramedic",  # the writer's work, not paramedics called
    "i am a paramedic",
    "shift paramedic",
    "student paramedic",
    "trainee paramedic",
    "trapped in traffic",  # late, not hurt
    "suicide prevention charity",  # the writer's work or a cause, not their thoughts
    "suicide prevention training",
    "suicide prevention course",
    "volunteer & suicide prevention",
    "bleeding very much less",  # less than before
    "bored & could die",
    "hungry & could die",
    "embarrassed & could die",
    "nearly choked",  # over, and it came up
    "almost choked",
    "keeps choking",  # a swallowing problem, not an airway blocked now
    "keep choking",
    "like i'm choking",
    "cough is choking me",  # a cough or smoke that chokes, said of oneself
    "smoke is choking me",
    "choking on milk",  # a baby spluttering at a feed
    "choking on her milk",
    "choking on his milk",
    "mumbling in & sleep",  # sleep talk, not confusion
    "out of a cold",  # a cold bath, or getting over a cold: not knocked "out cold"
    "out of the cold",
    "confused about how",  # puzzled
    "camera flash",  # a camera's, not a headache "in a flash"
    "photos with the flash",
    "photo with the flash",
    "confused about which",
    "confused about what",
    "confused about the",
    "confused about my",
    "muddled with my",
    "muddled up with",
)
# Words matched as written, because their stem stands for something else: "spotting" (bleeding)
# is not "spots" (a rash), "swollen legs" (both) is not "swollen leg" (one, a clot?), and
# "stopped breathing" (collapse) is not "stops breathing" (pauses in a baby's or a snorer's),
# "scratching" (an itch) is not "a scratch" (a wound), "stinging" (a feeling) is not "a sting",
# "stabbed" (an injury) is not "stabbing" (a kind of pain), "fitness" is no "fit", and "puffed
# up" (swollen) is not "puffing" (out of breath).
EXACT_WORDS = frozenset(
    {
        "spotting",
        "legs",
        "ankles",
        "stopped",
        "scratching",
        "stinging",
        "stabbed",
        "fitness",
        "puffed",
        "floored",  # tired out, not "fell on the floor"
    }
)


# Words that would otherwise be read by the phrases matched last: a side that is no side of the
# belly ("pain on the right side of my head"), a baby who "hasn't moved her bowels". Matched after
# every symptom and before those, then ignored (the words stay in the affirmed text).
ELSEWHERE = "-"
LATE_FIGURES_OF_SPEECH = (
    *(
        f"{side}of my {part}"
        for side in ("side ", "left side ", "right side ", "left ", "right ")
        for part in (
            "head", "neck", "face", "jaw", "tongue", "mouth", "lip", "throat", "ear", "eye",
            "nose", "chest", "breast", "ribs", "arm", "hand", "leg", "knee", "foot", "bum",
            "bottom", "tooth", "teeth",
        )
    ),
    "moved my bowels",
    "moving my bowels",
    *(f"{side} when i {bite}" for side in ("left", "right") for bite in ("chew", "bite")),
)  # fmt: skip
# Phrases tried after every other's, whatever their length, in this order (a symptom's code, or
# one phrase's text): "pain on the left side" must not take the "pain" of "chest pain on the left
# side" or "calf pain, left side", nor "the baby hasn't moved" the words of a baby who cannot be
# woken, "heart hurts" the "hurts" of "heart and tummy hurts", or "blood from my back passage"
# the blood of "so much blood from my back passage", nor "pain at the back of my head" the words
# of "sudden excruciating pain at the back of my head".
MATCHED_LAST = (
    ELSEWHERE,
    "one_sided_pain",
    "pain at the back of my head",
    "pain in the back of my head",
    "reduced_fetal_movements",
    "heart hurts",
    "heart hurting",
    "blood from my back passage",
    "blood from his back passage",
    "blood from her back passage",
)


def _matched_last(phrase: str, code: str) -> int:
    """0 for a phrase tried in the order of its length, else its place among MATCHED_LAST."""
    for place, last in enumerate(MATCHED_LAST, start=1):
        if last in (code, phrase):
            return place
    return 0


def _key(word: str) -> str:
    """A word's match key: its stem ("killing" and "kills" are "kill"), or the word itself."""
    return "=" + word if word in EXACT_WORDS else _stem(word)


@cache
def lexicon() -> Lexicon:
    pairs = [
        (normalise(phrase), code)
        for code, symptom in symptoms().items()
        for phrase in symptom.phrases
    ]
    table_words = {w for phrase, _ in pairs for _, _, w in words_of(phrase) if w != ","}
    pairs += [(normalise(phrase), NOT_A_FINDING) for phrase in FIGURES_OF_SPEECH]
    pairs += [(word, UNNAMED_FINDING) for word in UNNAMED_FINDINGS]
    pairs += [(normalise(phrase), ELSEWHERE) for phrase in LATE_FIGURES_OF_SPEECH]
    pairs.sort(
        key=lambda pair: (
            pair[1] != NOT_A_FINDING,
            pair[1] == UNNAMED_FINDING,
            _matched_last(*pair),
            -len(words_of(pair[0])),
            -len(pair[0]),
        )
    )
    by_first: dict[str, list[Phrase]] = {}
    keys: set[str] = set()
    for rank, (text, code) in enumerate(pairs):
        if UNORDERED in text:
            parts = tuple(
                tuple(_key(w) for _, _, w in words_of(part)) for part in text.split(UNORDERED)
            )
            flat = tuple(key for part in parts for key in part)
            phrase = Phrase(code, text, flat, frozenset(), rank, parts)
            keys.update(flat)
            by_first.setdefault(flat[0], []).append(phrase)
            continue
        words = [w for _, _, w in words_of(text)]
        kept = [
            i for i, w in enumerate(words) if w not in OPTIONAL_WORDS or i in (0, len(words) - 1)
        ]
        required = [words[i] for i in kept]
        # After a function word nothing else may come in: "a burn" is no "a gnawing burning".
        gaps = tuple(
            (after - before - 1) if words[before] in OPTIONAL_WORDS else MAX_GAP
            for before, after in itertools.pairwise(kept)
        )
        phrase = Phrase(
            code=code,
            text=text,
            words=tuple(_key(w) for w in required),
            optional=frozenset(_key(w) for w in words if w not in required),
            rank=rank,
            gaps=gaps,
        )
        keys.update(phrase.words)
        keys.update(phrase.optional)
        by_first.setdefault(phrase.words[0], []).append(phrase)
    fuzzy_words = tuple(sorted(w for w in table_words | CHILD_WORDS if len(w) >= FUZZY_MIN_LENGTH))
    return Lexicon(
        phrases_by_first_word={k: tuple(v) for k, v in by_first.items()},
        keys=frozenset(keys),
        fuzzy_words=fuzzy_words,
        fuzzy_key={w: _key(w) for w in fuzzy_words},
    )


@cache
def _english() -> WordFrequency:
    return SpellChecker(language="en").word_frequency


@lru_cache(maxsize=100_000)  # bounded: every word anyone types would otherwise stay cached
def _word_keys(word: str) -> frozenset[str]:
    """The keys a word of the text can stand for: its own, and for an unknown word of five
    letters or more, those of the table words it is a likely misspelling of."""
    table = lexicon()
    own = _key(word)
    if own in table.keys or len(word) < FUZZY_MIN_LENGTH or word in _english():
        return frozenset({own})
    close = process.extract(
        word, table.fuzzy_words, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE, limit=3
    )
    swapped = process.extract(word, table.fuzzy_words, scorer=OSA.distance, score_cutoff=1)
    return frozenset(
        {own} | {table.fuzzy_key[match] for match, _, _ in close + swapped if match[0] == word[0]}
    )


def _next(
    wanted: str, after: int, keys: list[frozenset[str]], taken: list[bool], words, gap: int
) -> int | None:
    """The first free position after `after` holding `wanted`, at most `gap` words on and
    never across a comma."""
    for position in range(after + 1, min(after + gap + 2, len(keys))):
        if words[position] == "," or (
            words[position] in NEGATION_WORDS and wanted != _key(words[position])
        ):
            return None
        if not taken[position] and wanted in keys[position]:
            return position
    return None


def _find_unordered(phrase: Phrase, keys: list[frozenset[str]], taken: list[bool], words):
    """The positions of each of the phrase's parts, in any order, close together and with no
    comma between, or None. A part is one word or several in a row ("heart attack")."""
    free = [not t for t in taken]

    def runs(part: tuple[str, ...], near: range) -> list[list[int]]:
        return [
            list(range(start, start + len(part)))
            for start in near
            if start + len(part) <= len(keys)
            and all(free[start + i] and part[i] in keys[start + i] for i in range(len(part)))
        ]

    for first in runs(phrase.parts[0], range(len(keys))):
        if phrase.code == NOT_A_FINDING and _denied_before(words, first[0]):
            continue
        lo = max(0, first[0] - UNORDERED_WINDOW)
        window = range(lo, min(len(keys), first[-1] + UNORDERED_WINDOW + 1))
        positions = list(first)
        for part in phrase.parts[1:]:
            found = [run for run in runs(part, window) if not set(run) & set(positions)]
            if not found:
                break
            positions += min(found, key=lambda run: abs(run[0] - first[0]))
        else:
            inside = words[min(positions) : max(positions) + 1]
            spoken = {words[i] for i in positions}
            if "," not in inside and not (set(inside) - spoken) & NEGATION_WORDS:
                return positions
    return None


def _denied_before(words: list[str], first: int) -> bool:
    """Whether a denial stands just before the word at `first`: a figure of speech denied is
    no figure ("doesn't disappear when I press a glass", "isn't breathing normally")."""
    before = [word for word in words[max(0, first - 2) : first] if word != ","]
    if before and before[-1] in BEFORE_DENIAL_FILLERS:
        before = before[:-1]
    return bool(before) and before[-1] in NEGATION_WORDS


def _find(phrase: Phrase, keys: list[frozenset[str]], taken: list[bool], words: list[str]):
    """The positions of the phrase's words in one clause, in order, or None."""
    if phrase.parts:
        return _find_unordered(phrase, keys, taken, words)
    for first in range(len(keys)):
        if taken[first] or phrase.words[0] not in keys[first]:
            continue
        if phrase.code == NOT_A_FINDING and _denied_before(words, first):
            continue
        positions = [first]
        for wanted, gap in zip(phrase.words[1:], phrase.gaps, strict=True):
            position = _next(wanted, positions[-1], keys, taken, words, gap)
            if position is None:
                break
            positions.append(position)
        else:
            if positions[-1] - positions[0] + 1 - len(positions) <= MAX_EXTRA:
                inside = range(positions[0] + 1, positions[-1])
                return positions + [i for i in inside if not taken[i] and keys[i] & phrase.optional]
    return None


def _negated(before: str, rest: str) -> bool:
    """Whether the text before a phrase (other phrases blanked out) negates it; `rest` is the
    clause from the phrase on."""
    have_not = HAVE_NOT.search(before)
    if (
        have_not
        and (have_not.group(1) or rest.startswith("had"))
        and not NEVER_BEFORE.search(rest)
        and not UNTIL.search(rest)
    ):
        return True
    cues = list(NEGATION.finditer(before))
    if not cues:
        return False
    cue = cues[-1]
    if PSEUDO_NEGATION.match(before, cue.start()):
        return False
    if cue.group() == "never" and NEVER_BEFORE.search(rest):
        return False
    if DIDNT.fullmatch(cue.group()) and not DIDNT_DENIES.match(before[cue.end() :] + rest):
        return False
    return _in_scope(before[cue.end() :])


def _in_scope(gap: str) -> bool:
    """Whether a cue reaches past these words to the phrase after them."""
    return not SCOPE_END.search(gap) and len(WORD.findall(gap)) <= NEGATION_WINDOW


# Only these may stand between the question and what it would prevent: "how to prevent another
# stroke", never "how to prevent choking my toddler is choking".
PREVENTED_FILLERS = frozenset(
    {"a", "an", "the", "another", "any", "more", "further", "future", "getting", "having"}
    | {"being", "or", "in", "of", "has", "have", "gets", "get"}
)
PATIENT = re.compile(r"\b(?:i|i'm|im|my|me|he|she|he's|she's|his|her|him|we|our|they|their)\b")


def _prevented(before: str, phrase: str) -> bool:
    """Whether the phrase (the words it matched) right after `before` is what a question about
    prevention would avoid; a phrase that names the patient ("heart attack & i have") is not."""
    cues = list(PREVENTION.finditer(before))
    if not cues:
        return False
    between = set(re.findall(r"[a-z][a-z'-]*", before[cues[-1].end() :]))
    return between <= PREVENTED_FILLERS and not PATIENT.search(phrase)


def age_in_months(text: str) -> float | None:
    """The youngest age that the (normalised) text mentions, in months: "my 6 week old" is 1.4."""
    ages = [0.0] if NEWBORN.search(text) else []
    child = bool(CHILD.search(text))
    for match in AGE.finditer(text):
        if not child and match.group().startswith("is") and IT_IS.search(text[: match.start()]):
            continue
        # "body is tired, 2 days" is how long, unless the text speaks of a child ("our baby is
        # unwell, 4 weeks")
        if not child and match.group().startswith(SAID_OF) and "," in match.group():
            continue
        in_years = match.group(3) or match.group(4)  # "(10)", "age 10": years
        if in_years:
            ages.append(float(in_years) * 12)
            continue
        number, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(5, 6)
        if (
            unit[0] == "w"
            and GESTATION.match(match.group())
            and PREGNANT.search(text[max(0, match.start() - 30) : match.end() + 15])
        ):
            continue  # "pregnant with twins, 8 weeks", "pregnant, she's 10 weeks": how far along
        value = NUMBER_WORDS.get(number) or float(number)
        ages.append(value * MONTHS_PER_UNIT[unit[0]])
    ages += [float(match.group(1)) * 12 for match in BARE_AGE.finditer(text)]
    ages += [float(match.group(1)) * 12 for match in RELATIVE_YEARS.finditer(text)]
    if not ages and BABY.search(text) and not PREGNANT.search(text):
        for number, unit in HAS_AGE.findall(text):
            ages.append((NUMBER_WORDS.get(number) or float(number)) * MONTHS_PER_UNIT[unit[0]])
    if not PREGNANT.search(text):  # "12/52 pregnant" is how far along
        ages += [float(weeks) * MONTHS_PER_UNIT["w"] for weeks in WEEKS_NOTED.findall(text)]
    return min(ages) if ages else None


# "red, hot, swollen" is "red hot swollen": a comma between two such words is no clause break.
_DESCRIBING = (
    r"red|hot|warm|swollen|painful|tender|sore|itchy|hard|shiny|puffy|stiff|tight|burning|"
    r"tingling|throbbing|aching|achy|sharp|stabbing|crushing|heavy|numb|weak|dizzy|sweaty|"
    r"clammy|pale|cold|shivery|tired|sick|gnawing|cracked|peeling|flaky|white|pink|spotty"
)
LISTED = re.compile(rf"\b({_DESCRIBING}),\s*(?=(?:and\s+)?(?:{_DESCRIBING})\b)")


FEVER_READING = NUMERIC_FINDINGS[0][0]
FEVER_FIGURE = re.compile(r"\b(?:3[89]|4[0-2]|10[0-6])\b")
# A temperature reading of 35 to 37.9 °C is no fever: "temperature is 36.9".
# Written in its place, a figure of speech that reads as no finding (and outweighs a felt fever).
NORMAL_READING = "normal temperature"
NORMAL_TEMPERATURE = re.compile(
    r"\b(?:temperature|temp|thermometer)\W+(?:[a-z']+\W+){0,3}?3[5-7](?:[.,]\d)?\b"
    r"(?!\s*(?:weeks|wks))"
    # a reading first: "36.9 on the thermometer" (not 35.x: low, in a baby)
    r"|\b3[67][.,]\d\s*(?:°\s*c?|degrees|c\b)?\s*on (?:the|our|my|his|her) "
    r"(?:ear |forehead |digital )?thermometer\b"
)


# A body temperature below 35 °C is hypothermia (NICE CKS): "temp 33.8" is a patient found cold,
# not a fever. Only a reading right after the word ("temp 34", "temperature dropped to 34.2"),
# never a room's, the weather's or a weight ("bedroom temp 27.5", "temp ok, wt 24.5 kg").
LOW_TEMPERATURE = re.compile(
    r"(?<!room )(?<!outside )(?<!bedroom )(?<!nursery )(?<!car )(?<!water )(?<!bath )"
    r"\b(?:temperature|temp)\b(?! (?:in|outside|of the (?:room|house|flat)))"
    r"(?:\s*(?:is|was|of|only|now|:|down to|dropped to|fell to|on (?:our|the|my|his|her) "
    r"thermometer)?\s*)(?:2[5-9]|3[0-4])(?:[.,]\d)?"
    r"(?:\s*(?:°\s*c?|c\b|degrees))?(?!\d|[.,]\d|\s*(?:weeks|wks|kg|°?\s*f\b))"
)


# Said word for word, these are no finding: the weather is no "out cold" (unless someone was
# knocked, passed or blacked out), and drying oneself is no self-harm.
OUT_IN_THE_COLD = re.compile(r"\bout in the cold\b")
WENT_OUT = re.compile(r"\b(?:knock|pass|black|conk|zonk)\w*\b")
DRIED_MYSELF = re.compile(r"\b(dried|drying) myself\b")
# Scots and northern words, and words spelt as they sound, for what the phrase table says in
# standard English ("she'll no come roon" is "she won't come round", "breeve" is "breathe"),
# replaced word for word.
DIALECT = {
    "doon": "down", "oot": "out", "roon": "round", "aboot": "about", "heid": "head",
    "shooder": "shoulder", "shouther": "shoulder", "wis": "was", "noo": "now", "aff": "off",
    "wrang": "wrong", "flair": "floor", "greetin": "crying", "cannae": "can't", "canny": "can't",
    "canna": "can't", "dinnae": "don't", "dinna": "don't", "didnae": "didn't", "disnae": "doesn't",
    "isnae": "isn't", "wisnae": "wasn't", "wullnae": "won't", "winnae": "won't", "wouldnae":
    "wouldn't", "couldnae": "couldn't", "ah'm": "i'm", "ah've": "i've", "ah'd": "i'd",
    "ah'll": "i'll", "breeve": "breathe", "breev": "breathe", "breave": "breathe", "blu": "blue",
    "mouf": "mouth", "blud": "blood", "pail": "pale", "naewhere": "nowhere", "birlin": "spinning",
    "birling": "spinning", "sair": "sore", "thole": "stand", "hangin": "hanging",
    "comin": "coming", "talkin": "talking", "makin": "making", "wan side": "one side",
    "nae": "no", "iver": "ever", "roastin": "roasting", "chist": "chest", "suckin": "sucking",
    "pechin": "panting", "auld": "old", "haudin": "holding", "haud": "hold",
    "sittin": "sitting", "drippin": "dripping",
    "wee yin": "wee one", "aw the": "all the",
    # Jamaican
    "cyaan": "can't", "ketch": "catch", "likkle": "little", "bwoy": "boy", "pickney": "child",
    "nah work": "not working", "nuh work": "not working", "nah fade": "doesn't fade",
    "nah answer the phone": "don't pick up the phone", "nah answer": "not answering",
    "nah want fi dead": "no thoughts of self-harm", "nuh want fi dead": "no thoughts of self-harm",
    "nah want": "don't want", "nuh want": "don't want",
    # Geordie
    "heed": "head", "nivver": "never", "aal": "all", "summat": "something", "divvent": "don't",
    "owt": "anything", "nowt": "nothing", "aa've": "i've", "aa'm": "i'm", "aa'd": "i'd",
    "aa'll": "i'll", "ower": "over", "neet": "night", "cannet": "can't", "cannit": "can't",
    "droopin": "drooping", "gannin": "going",
    "ivver": "ever", "swallered": "swallowed", "knaa": "know",
    # Nigerian Pidgin ("belle" for a pregnancy is read before these)
    "no dey": "is not", "no fit": "can't", "no gree": "won't", "dey": "is", "comot": "out",
    "pikin": "child", "abeg": "please", "wetin": "what", "wan": "want",
    # Australian
    "noggin": "head",
    # a pulse oximeter's label
    "spo2": "oxygen saturation", "sp02": "oxygen saturation", "o2 sats": "oxygen sats",
    # Spanish, mixed into English ("mi bebé tiene 2 meses and he has fiebre de 38.5")
    "embarazada": "pregnant", "semanas": "weeks", "meses": "months", "dolor": "pain",
    "sangrado": "bleeding", "sangre": "blood", "fiebre": "fever", "bebé": "baby", "bebe": "baby",
    "lado derecho": "right side", "lado izquierdo": "left side", "cabeza": "head",
    "pecho": "chest", "respirar": "breathe",
    # rhyming slang
    "boat race": "face", "north and south": "mouth",
}  # fmt: skip
# Read after the dialect words: "head dey pain her" is a headache.
HEAD_IS_PAIN = re.compile(r"\bhead is pain(?:ing)? (?:her|him|me)\b")
# Shaking with the cold is shivering, and shaking someone to rouse them no tremor ("not
# responding to us shaking him", not "it's shaking her all over").
SHAKING_WITH_COLD = re.compile(r"\bshaking (?:from|with|because of) (?:the )?cold\b")
SHAKING_WITH_FEAR = re.compile(
    r"\b(?:went rigid and )?(?:shaking|shook)(?: all over)? (?:from|with|in) "
    r"(?:fear|fright|terror)\b|\b(?:went|go|goes|going) rigid with (?:cold|fear|fright)\b"
)
SHAKING_SOMEONE = re.compile(
    r"(?:\b(us|me|i|we|they|tried|trying|try|kept|keep|by|after|even|gently|been|and|or|when|"
    r"i'm|im|am|are|we're) "
    r"|(?<![a-z'] )(?<![a-z']))"  # or first in its clause: "shaking him does nothing"
    r"(?:shaking|shook|shake|shaik|shakes) (him|her|them|(?:his|her) shoulders?)\b"
    r"(?! (?:head|arms?|hands?|legs?|fists?|fingers?|body|whole|little|left|right|side|limbs?|"
    r"feet|foot|jaw|face|lips?|eyes?|all over|violently)\b)"
)
# "arms and legs going" on the floor is a fit (not "arms and legs going numb", nor blotches
# "on my arms and legs that come and go").
LIMBS_GOING = re.compile(
    r"\b(?:his|her|their|my) arms and legs (?:were |are |was |is )?going\b"
    r"(?=\s*(?:[,.;!?]|$|and\b|everywhere\b|like mad\b))"
)
# told with a fall or the floor: not a baby's "arms and legs are going, trying to crawl"
FIT_SCENE = re.compile(r"\b(?:floor|ground|thud|collaps\w*|fell|minutes?|mins?|eyes)\b")
# A dip in a child's neck as they breathe is effortful breathing (a tracheal tug).
NECK_DIP = re.compile(
    r"\bdip (?:in|at the (?:bottom|base) of) (his|her|the) neck\b(?=[^.!?]{0,40}\bbreath)"
    r"(?![^.!?]{0,40}\bbreath\w* (?:fine|normally|ok)\b)"
)
# Nigerian Pidgin for a pregnancy: "my wife get belle", "her belle reach 8 months" (not
# "belle pain", a stomach ache, nor Belle, a name).
PIDGIN_PREGNANT = re.compile(
    r"\b(?:get|got|carry|carrying) belle\b(?! (?:pain|ache|wahala|run|dey|turn)\b)"
    r"|\bbelle reach\b"
)
DIALECT_WORD = re.compile(r"\b(?:" + "|".join(map(re.escape, DIALECT)) + r")\b")
# Said word for word: a first aid charity's course is a first aid course, and a fried breakfast
# no heart attack.
ST_JOHN = re.compile(r"\bst\.? john'?s? ambulance\b")
ON_A_PLATE = re.compile(r"\bheart attack on a plate\b")
# "fell 3 metres": a fall from a height, a serious injury, from 3 metres (10 feet) up, the height
# field triage counts as dangerous for a child; a lower fall is a fall ("fell from 2 m").
FELL_HEIGHT = re.compile(
    r"\b(?:fell|a fall of) ((?:about |around |nearly |almost |over |like )?(\d+(?:\.\d)?) ?"
    r"(feet|foot|ft|metres?|meters?|m))\b"
)
HEIGHT_OF_A_SERIOUS_FALL_METRES = 3.0


def _fall_from(match: re.Match[str]) -> str:
    metres = float(match.group(2)) * (0.3048 if match.group(3).startswith("f") else 1.0)
    height = "a height of " if metres >= HEIGHT_OF_A_SERIOUS_FALL_METRES else ""
    return f"fell from {height}{match.group(1)}"


# "can't get back up off the floor" is no "can't get back off" (to sleep).
UP_OFF = re.compile(r"\bup off\b")
FELL_OF = re.compile(r"\bfell of\b")  # "fell of bike" is "fell off"
WILL_NO = re.compile(r"\b(he|she|they|it|i|you|we)'ll no\b")  # "she'll no" is "she won't"
# Words taken whole, not matched with gaps as the phrase table is: able to do something ("fit
# to fly", "fit for work", never "had a fit to" nor "fitting when he tries to go"), a student
# paramedic, "chess pain" (a phone's autocorrect of "chest pain"), and a wish not to wake up at
# a time or with a symptom, which is about sleep ("wouldn't wake up at 4am"), not a wish to die.
FIT_FOR_A_TASK = re.compile(
    r"(?<!\bhad a )(?<!\bhaving a )\bfit (?=(?:to (?:go|fly|work|drive|"
    r"dive|exercise|lead|travel|play|return|take part|compete|train|attend|start|swim|cycle|ride|"
    r"run|lift|climb|sail|box)|for (?:work|duty|school|sport|pe|the bed|bed|nothing|the sofa))\b)"
    # "a letter saying she's fit", "I'm fit." (not "she's fit again", "he's fit twice")
    r"|(?<=\bi'm )fit(?=\s*(?:[.,!?]|$))|(?<=\bshe's )fit(?=\s*(?:[.,!?]|$))"
    r"|(?<=\bhe's )fit(?=\s*(?:[.,!?]|$))|(?<=\bi am )fit(?=\s*(?:[.,!?]|$))"
)
PARAMEDIC_STUDENT = re.compile(r"\bparamedic (?:science )?students?\b")
# "light-headed for a second" is dizziness, not a head that hurts "in seconds".
LIGHT_HEADED = re.compile(r"\blight[- ]headed(?:ness)?\b")
# A sentence about a pet, with no person in it ("our dog's been hit by a car and is bleeding
# from his leg", "my cat got stung and her face has puffed up"), is for a vet; not one with a
# person or someone the animal hurt ("the dog walker found him", "the horse kicked him").
_SENTENCE_REST = r"(?:[^.!?\n]|(?<=\d)\.(?=\d))*"  # "4.5kg" ends no sentence
_PERSON_OR_HARM = (
    r"i|i'm|i've|me|we|we're|us|my|our|son|daughter|baby|child|"
    r"kids?|boy|girl|toddler|husband|wife|partner|mum|mom|dad|nan|nana|gran|grandma|grandad|"
    r"granddad|grandpa|papa|friend|neighbour|man|woman|lady|guy|cyclist|rider|owner|someone|"
    r"somebody|postman|bit|bitten|bites|attacked|mauled|knocked|jumped|scratched|lunged|kicked|"
    r"threw|thrown|trampled|tripped|pulled|dragged|trod|bucked|fell on|ran into"
)
_PETS = (
    r"dog|puppy|pup|cat|kitten|rabbit|hamster|guinea pig|horse|pony|spaniel|labrador|"
    r"retriever|terrier|collie|whippet|lurcher|staffie|staffy|poodle|cockapoo|"
    r"beagle|dachshund|sausage dog|jack russell|alsatian|westie"
)
# "my cocker spaniel", "our new puppy" (not a hot dog, a guide dog's owner is still there)
_BREED_OF = r"(?:(?!hot |corn |sea |top |under |guide |sniffer |police )[a-z]+ )?"
PET_SENTENCE = re.compile(
    rf"(?:^|(?<=[.!?\n]))\s*(?:my|our|the) {_BREED_OF}(?:{_PETS}|dogs|cats|bunny|budgie|parrot|"
    r"tortoise|"
    r"ferret)(?:'s)?\b"
    r"(?!\s*(?:walker|walking|owner|sitter|scan|rider|riding|trainer|groomer)\b)"
    rf"(?!{_SENTENCE_REST}\b(?:him|{_PERSON_OR_HARM})\b)"
    rf"{_SENTENCE_REST}[.!?]*"
)
# A pet that the vet has seen is the subject of its sentence, whoever "him" is: "Our dog had a
# fit yesterday, the vet's seen him and he's fine" (not "the cat went to the vet and now my son
# can't breathe").
VET_SENTENCE = re.compile(
    rf"(?:^|(?<=[.!?\n]))\s*(?:my|our|the) {_BREED_OF}(?:{_PETS})"
    rf"(?:'s)?\b(?={_SENTENCE_REST}\bvet'?s?\b)(?!{_SENTENCE_REST}\b(?:{_PERSON_OR_HARM})\b)"
    rf"{_SENTENCE_REST}[.!?]*"
)
# A teenager's "omg I'm literally going to die" is embarrassment, unless a danger is told
# with it ("lol I'm going to die, took all my tablets").
DYING_OF_EMBARRASSMENT = re.compile(
    r"(?:\b(?:omg|lol)\W+(?:i'm )?(?:literally )?(?:going to|gonna) die\b|"
    r"\bdie of embarrassment\b)"
    r"(?![^.!?]*\b(?:took|taken|tablets|pills|overdose|breathe|breath|throat|chest|blood|"
    r"bleeding|pain|hurts?|collapsed)\b)"
)
# "took a knock at rugby", with no other part named, is a knock to the head (not "a knock to
# the knee at football", "a knock in training on my ribs").
KNOCK_AT_SPORT = re.compile(
    r"\b((?:took|taken|had|got) a (?:nasty |bad |big |hard )?knock) (?=(?:at|in|playing|during) "
    r"(?:the )?(?:rugby|football|hockey|boxing|training|the match|the game)\b)"
    r"(?![^.!?]{0,60}\b(?:knees?|ankles?|shins?|ribs?|shoulders?|legs?|arms?|hands?|hips?|"
    r"feet|foot|nose|wrists?|elbows?|fingers?|thumbs?|toes?)\b)"
)
# An arm gone dead from lying on it, that came back: "woke with my whole arm dead ... I'd been
# lying on it all night, fine now" (not one still weak, nor with a face or speech changed).
SLEPT_ON_IT = re.compile(
    r"^(?=.*\b(?:lying|lain|laying|lay|slept|sleeping) (?:funny )?on (?:it|my arm|that arm)\b)"
    r"(?=.*\b(?:fine now|back to normal|normal now|(?:it|feeling) came back|wore off|"
    r"went away)\b)"
    r"(?!.*\b(?:still|hasn't|not back|isn't back|worse|face|speech|words|talk\w*)\b)"
)
# "a pile of pills" is a heap, not piles.
PILE_OF = re.compile(r"\b(a|the|this|that) pile of\b")
# A goodbye sent to someone: "sorry for everything mum, I love you", "Sorry for everything.
# Love you all x" (not "sorry for everything yesterday, love you, see you tonight").
GOODBYE_MESSAGE = re.compile(
    r"\bsorry for everything\b(?! (?:yesterday|last night|earlier|today|i said))"
    r"(?=[^\n]{0,25}\blove you\b)(?![^\n]{0,80}\b(?:see you|tonight|tomorrow|later|soon)\b)"
)
# Said of no one's state now: "no reactions for years" (to an allergen), "thunder and lightning
# last night" (not a headache like lightning), "Suicide Squad" (a film), and tablets that
# "went down the wrong way" (swallowed as meant, not too many).
NO_REACTIONS_FOR = re.compile(
    r"\bno (?:allergic )?reactions? (?=(?:for|in|since) (?:years|ages|months|a long time|"
    r"(?:\d+|two|three|four|five|six|ten|many) (?:years|months))\b)"
)
# A choke already cleared: "choked on her drink but coughed it up".
CHOKE_CLEARED = re.compile(
    r"\b(?:choked|was choking|were choking)(?: briefly| a bit| slightly)? on (?:[\w']+ ){1,4}?"
    r"(?:earlier |before |yesterday )?(?:but |and )?(?:then )?(?:(?:she|he|i|they|we) )?"
    r"(?:coughed|spat|brought) it (?:up|out)\b"
    # unless something follows it: "but now he's wheezing", "still can't breathe"
    r"(?![^.!?]*\b(?:(?<!fine )(?<!ok )(?<!okay )(?<!better )now(?! (?:fine|ok|okay|better|"
    r"alright))|still|blue|purple|grey|can't|cant|cannot|wheez\w*|struggl\w*|breath\w*|gasp\w*|"
    r"drool\w*)\b)"
)
# A warning or a joke about an illness to come: "you'll have a stroke if you don't pack in the
# smoking", "I'll have a heart attack with all the fry-ups", "she'll have a stroke over my nose
# ring"; "an overdose of sunshine".
ILLNESS_FORETOLD = re.compile(
    # someone else's warning or joke, never the patient's own fear ("I think I'm going to have
    # a heart attack"): "you'll", "she'll", or "I'll" as others say it
    r"\b(?:you'll|you will|she'll|she will|he'll|he will|(?:saying|say|says|said|joke|jokes|"
    r"joking|tell me|telling me|told me|reckon|reckons) (?:that )?i'll) ['\"]?(?:have|get) "
    r"(?:a )?(?:heart attack|stroke)['\"]?(?= (?:if|with all|over (?:my|your|his|her|the|a)|"
    r"one day|eventually)\b)"
)
OVERDOSE_OF_FUN = re.compile(
    r"\b(?:(?:an )?overdose of|overdosed on|od'd on) (?:sun|sunshine|chocolate|fun|telly|tv|"
    r"christmas|love|netflix|cake|vitamin sea|easter eggs|sweets|sugar|turkey|mince pies)\b"
    r"(?![^.!?]*\b(?:tablets|pills|gummies|meds|medicine|vitamins|capsules)\b)"
)
STORM = re.compile(r"\b(?:thunder and lightning|thunder ?storms?|lightning storms?)\b")
FILM_TITLE = re.compile(r"\bsuicide squad\b")
WRONG_WAY = re.compile(
    r"\bswallowed ((?:my|his|her|their|the) (?:tablets?|pills?|capsules?|medicines?|meds)) "
    r"(?:the )?wrong way\b|\bwent down the wrong way\b"
)
# "texted me saying goodbye and that he's sorry for everything"
GOODBYE_TEXT = re.compile(
    r"\bsaying goodbye\b(?=[^.!?]{0,40}\b(?:sorry for everything|loves? (?:us|you|me) all)\b)"
    r"|\bfound (?:a|her|his|their) goodbye (?:note|letter)\b"
    # "sent our team chat a goodbye message saying she loves us and she's sorry" (not a
    # leaving card's goodbye message)
    # a note that says goodbye, with "sorry" or someone who cannot be reached (not a carer's
    # on retiring, nor before a school trip)
    r"|\b(?:left|wrote|found) (?:a|me a|us a|her|his|their) note\b"
    r"(?=[^.!?]{0,40}\bgoodbye\b)(?![^.!?]*\b(?:retir\w*|trip|holiday|leaving|moving)\b)"
    r"(?=[^.!?]{0,100}\b(?:sorry|not answering|isn't answering|phone (?:is )?off|"
    r"can't (?:reach|find|get hold)|missing)\b)"
    # a note saying sorry and love, left by someone now gone and not answering: "left a note on
    # the kitchen table saying he loves us and he's sorry ... isn't answering his phone" (not a
    # note about the shopping, nor one left before work)
    r"|\b(?:left|wrote|found) (?:a|me a|us a) (?:note|letter)\b"
    r"(?=[^.!?]{0,60}\b(?:saying|that says|which says|says) (?:[\w']+ ){0,3}(?:sorry|loves? "
    r"(?:us|you|me|them|everyone))\b)"
    r"(?=[^.!?]{0,80}\b(?:sorry for everything|(?:sorry|loves?)\b[^.!?]{0,80}\b"
    r"(?:sorry|loves?))\b)"
    r"(?![^.!?]*\b(?:retir\w*|trip|holiday|leaving|moving|shopping|milk|back soon|"
    r"dinner|oven|birthday|anniversary|mess|biscuit)\b)"
    # nor one gone somewhere ordinary: "gone to the gym, phone is off", "taken the car to
    # Glasgow to see his girlfriend", "went to pick up the kids", a flat battery, a drama
    r"(?!.*\b(?:gone to|went to|popped to|off to|gym|train|girlfriend|boyfriend|pick(?:ed|ing)? "
    r"up|battery|it's dead|see you|back (?:later|tonight|tomorrow|at)|corrie|eastenders|"
    r"emmerdale|episode|film|drama|at work|meetings?|at football|at school)\b)"
    r"(?=[^\n]{0,200}\b(?:not answering|isn't answering|phone (?:is )?off|"
    r"can't (?:reach|find|get hold)|missing|car's gone|car is gone|taken the car)\b)"
    # "put up on facebook that he's sorry for everything and he's away down to the river ...
    # can't get him on the phone" (not sorry for everything said yesterday)
    r"|\b(?:posted|put up|put|wrote|texted|messaged|sent)\b[^.!?]{0,40}?\bsorry for "
    r"everything\b(?! (?:yesterday|last night|earlier|i said|he said|she said|at|in|on)\b)"
    r"(?![^\n]*\b(?:wedding|speech|funeral|card|cafe|birthday|row|argument|fine now)\b)"
    r"(?=[^\n]{0,150}\b(?:(?:going|gone|away|heading|off|on (?:his|her) way) (?:down )?to the "
    r"(?:river|bridge|cliff|railway|tracks|quarry|sea|beach)|at the (?:bridge|cliff|railway|"
    r"tracks|quarry)|can't get (?:him|her|them) on the phone|not answering|isn't answering|"
    r"won't pick up|not picking up|phone (?:is )?off)\b)"
    # "texted me goodbye and said he's at the bridge" (not before a trip)
    r"|\b(?:texted|messaged|whatsapped|rang|phoned|called) (?:me |us |him |her )?(?:to say )?"
    r"goodbye\b(?![^.!?]*\b(?:trip|holiday|leaving|moving|flight|airport|camp)\b)"
    r"(?=[^\n]{0,100}\b(?:bridge|cliff|railway|tracks|quarry|river|multi-storey|car park|roof|"
    r"pills|tablets|rope|sorry|not answering|isn't answering|phone (?:is )?off|"
    r"can't (?:reach|get hold))\b)"
    r"|(?<!leaving )(?<!a leaving )\bgoodbye (?:message|text|note|letter|email|voice ?note)\b"
    r"(?![^.!?]*\b(?:last day|leaving|retir\w*|moving|ex|nursery|colleague|class|team)\b)"
    r"(?=[^.!?]{0,80}\b(?:sorry|"
    r"love (?:you|us|them|everyone)|not answering|isn't answering|phone (?:is )?off|"
    r"can't (?:reach|get hold))\b)"
)
# The same with a plain "he's sorry" or "this is the end", in a text that tells of no drama
# watched ("On Corrie Roy was saying goodbye and he's sorry" is no one's goodbye).
GOODBYE_SORRY = re.compile(
    r"\bsaying goodbye\b(?=[^.!?]{0,40}\b(?:this is the end(?! of)|(?:he's|she's|they're) "
    r"sorry(?=\s*(?:[.,!]|$|and\b)))\b)"
)
ON_SCREEN = re.compile(
    r"\b(?:corrie|coronation street|eastenders|emmerdale|hollyoaks|casualty|episode|film|"
    r"drama|on tv|on telly|soap)\b"
)
# Written as fixed strings, each into words the phrase table reads (negation and history then
# apply as to any phrase): "came off a ladder" is a fall only when someone came off it ("tiles
# came off the roof" are not); "expressing SI" is suicidal ideation (not SI joint pain); petrol
# drunk is swallowed (not "petrol station energy drinks"); a baby "coming fast" is a birth
# under way (not a due date "coming up fast"); "newly expecting" is pregnant; a neck or throat
# "sucking in" is effortful breathing ("neck going red" is not); a positive urine pregnancy
# test ("+ve UPT"); "central CP" is chest pain (not cerebral palsy).
SOMEONE_CAME_OFF = re.compile(
    # "fallen" also opening a sentence ("fallen from the roof, neck hurts"); "came off" never
    # does, as the phrase table's own "came off & bike" would be rewritten too
    r"(?:(?:^|(?<=[.!?] ))(?=fallen)|\b((?:he|she|i|they|we)(?:'s|'ve| has| have| had)?|(?:son|"
    r"daughter|dad|husband|wife|mum|brother|sister|boy|girl|lad|man|woman|grandad|partner|"
    r"friend|neighbour|teen|kid|child)(?:'s| has)?) )(?:just )?(?:fallen|came|come) (off|from)\b"
)
SI_NOTED = re.compile(
    r"\b(expressing|expressed|reporting|reports|reported|voicing|voiced|active|passive|having) "
    r"si\b(?! joints?\b)"
)
SI_PLAN = re.compile(r"\bsi with (?:a )?plan\b")
# "I'm not going to do anything daft" denies any thought of harming oneself, as plainly as
# "no thoughts of self-harm" (read so by both readers).
NOTHING_DAFT = re.compile(
    r"\b(?:(?:i'm|i am|he's|she's|he is|she is) not (?:going to |gonna )?|(?:i|he|she) won't )"
    r"do anything (?:daft|stupid|silly|drastic)\b"
    # "I do not want to harm myself, I only want to feel normal again" (not "... but I'm scared
    # I might")
    r"|\b(?:i|he|she) (?:don'?t|do not|doesn'?t|does not) (?:really )?(?:want to|wanna) "
    r"(?:harm|hurt|kill) (?:myself|himself|herself)\b"
    r"(?![^.!?]{0,40}\b(?:but|although|though|yet|anymore)\b)"
)
# Spirits drunk in plenty are alcohol ("drank a lot of spirit at the naming ceremony"; white
# spirit is a solvent, and stays one).
SPIRIT_DRUNK = re.compile(
    r"\b(drank|drunk|drinking|downed|had) (a lot of|lots of|too much|loads of|so much|a bottle of|"
    r"half a bottle of) spirits?\b"
)
PETROL_DRUNK = re.compile(
    r"\b(?:drink|drinks|drank|drunk|drinking|swigged|sipped)((?: some| a bit of| a mouthful of|"
    r" a sip of| the)?) petrol\b(?! station| pump)"
)
BABY_COMING_FAST = re.compile(r"\bbaby(?:'s| is) coming (?:very |really |so )?(?:fast|quickly)\b")
NEWLY_EXPECTING = re.compile(r"\bnewly expecting\b")
# An embryo transferred days or weeks ago is the writer's pregnancy now, not history (unless its
# sentence says it did not take, or it was a partner's).
EMBRYO_TRANSFER = re.compile(
    r"(?<!wife's )(?<!partner's )(?<!girlfriend's )"
    r"\b(?:ivf |embryo |fet )+transfer(?: was)? (?:\w+ ){0,2}(?:days?|weeks?) ago\b"
    r"(?![^.!?]*\b(?:negative|failed|didn't work|bfn|not pregnant|cancelled|canceled|postponed|"
    r"miscarr\w*|chemical|lost the baby|ended)\b)"
)
NECK_SUCKING_IN = re.compile(
    r"\b(neck|throat)(?: is| was|'s)? (?:going|sucking|pulling|caving) in\b(?! (?:a|an|the|to)\b)"
)
POSITIVE_UPT = re.compile(
    r"(?<!\w)\+ve upt\b|\bupt (?:is |was )?(?:\+ve|positive|pos)\b|\bpositive upt\b"
    r"|(?<!\w)\+ve pregnancy test\b"
    # "+ve test", "pos test" with a sign of pregnancy near, and no other test named beside it
    r"|(?<!covid )(?<!lft )(?<!flow )(?<!strep )(?<!flu )(?<!uti )(?<!chlamydia )"
    r"(?<!screening )(?<!bowel )(?<!test, )(?!.*\b(?:bowel|screening|smear|hpv|pylori|dip)\b)"
    r"(?:(?<!\w)\+ve|\bpos) test\b(?! (?:for|of|at)\b)"
    r"(?!\W+(?:covid|lateral|lft|chlamydia|strep|flu|uti|antigen|gonorrh\w*)\b)"
    r"(?=.*\b(?:pregnant|period|weeks|wks|ivf|spotting|shoulder|abdo\w*|pelvi\w*|tummy|belly|"
    r"low down|lower|sided?)\b)"
)
CHEST_PAIN_NOTED = re.compile(
    r"\b(?:central|crushing|sudden|severe|ongoing|new|c/o) cp\b|\bcp\b(?= (?:onset|radiating|"
    r"radiates|started|began|since|x ?\d|~?\d+ ?(?:min|mins|minutes|hrs?|hours?))\b)"
)
CEREBRAL_PALSY = re.compile(r"\bcerebral palsy\b|\b(?:has|have|had|with) cp\b")
# Someone looking up a height to jump from: "looking up how high the top floor of the car
# park is" (not a lorry's clearance).
HOW_HIGH_TO_JUMP = re.compile(
    r"\b(?:looking up|looked up|googl\w*|checking|checked|searching|searched|researching|"
    r"researched|working out|worked out|measuring) how high\b[^.!?]{0,40}\b(?:bridge|car park|"
    r"multi-?storey|top floor|building|cliff|tower|block of flats|flats)\b"
    r"(?![^.!?]*\b(?:lorry|truck|van|vehicle|clearance|headroom|height barrier|caravan|trailer|"
    r"bus|coach|motorhome)\b)"
)
# "my dose was doubled over the weekend": a time, not a body bent with pain.
DOUBLED_OVER_A_TIME = re.compile(
    r"\bdoubled over (?=(?:the|a) (?:weekend|week|month|year|last|past|holidays?|summer|winter|"
    r"christmas)\b)"
)
# Word for word from sign language or a translation: "me tired life".
TIRED_LIFE = re.compile(r"\btired life\b")
# A flight of hours, or leaving one, is a long journey: "got off a 14 hour flight" (not a flight
# booked for next week, nor "an hour to climb a flight of stairs").
LONG_FLIGHT = re.compile(
    r"(?<!booked on a )(?<!booked on )\b\d+\s*-?\s*(?:hours?|hrs?)\s*-?\s*flight\b"
    r"|\bg(?:ot|etting) off (?:the|a|my|our) (?:\d+\s*-?\s*(?:hours?|hrs?) )?(?:plane|flight)\b"
)
# A baby's age in brackets after a name: "Isla (4 months) poorly", "Noah (8 weeks tomorrow)"
# (not a duration after a symptom or a form's label: "cough (3 weeks)", "Duration (2 weeks)").
NAMED_AGE = re.compile(
    r"\b([A-Z][a-z]+) \((\d{1,2}) ?(weeks?|wks?|months?|mths?|days?)(?: old)?"
    r"(?: (?:today|tomorrow|now))?\)"
)
# The same after one of twins or triplets: "twin 2 (10 weeks)", "the triplets (9 months)".
TWIN_AGE = re.compile(
    r"(?<!expecting )(?<!pregnant with )(?<!carrying )"
    r"\b((?:twin|triplet)s?(?: (?:[1-4]|one|two|three|a|b))?) \((\d{1,2}) ?"
    r"(weeks?|wks?|months?|mths?|days?)(?: old)?\)"
)
NOT_A_NAME = frozenset(
    {"duration", "symptoms", "symptom", "since", "for", "ago", "onset", "age", "today", "yesterday"}
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend"}
    | {"january", "february", "march", "april", "may", "june", "july", "august", "september"}
    | {"october", "november", "december", "christmas", "easter", "holiday", "work", "school"}
)
# A form's line ("Last period: 7 weeks ago") is a sentence of its own: the time it gives says
# nothing of the next line ("Pregnancy test: positive").
FORM_LINE = re.compile(r"(?m)^([a-z][\w ]{0,30}:[^\n]*?)[ \t]*\n")
# A pause, not a full stop: "I can't... get my breath".
CANT_PAUSE = re.compile(r"\b(can't|cannot|can not|couldn't)\s*(?:\.{2,}|\u2026)\s*")
# The lower belly, told as its bottom: "pain in the left bottom of stomach" (not the buttocks).
BOTTOM_OF_BELLY = re.compile(
    r"\b(?:(left|right) )?bottom of (?:the |her |his |my )?(?:stomach|tummy|belly|abdomen)\b"
)
# Sweating or vomiting that "hasn't stopped" goes on: "I've not stopped sweating since".
NOT_STOPPED = re.compile(
    r"\b(?:haven't|hasn't|have not|has not|'ve not|not|never) stopped (sweating|vomiting)\b"
)
# A numb hand shaken awake is no fit: "I have to shake it to get the feeling back".
SHAKE_IT_AWAKE = re.compile(r"\b(?:have|had|has) to shake (?:it|them|my hands?)\b")
# "I'm about 6 wks along" is a pregnancy (not "the renovation is 6 weeks along").
WEEKS_ALONG = re.compile(
    r"\b(i'm|im|i am|she's|shes|she is|we're|about|around|only|just|roughly|maybe) "
    r"(\d{1,2}|[a-z]+) (?:weeks?|wks?) along\b"
)
# "I'm 7 weeks" from a woman about herself is a pregnancy (not "I'm 6 weeks post-op", "6 weeks
# into the course", "2 weeks late").
SELF_WEEKS = re.compile(
    r"\b(i'm|im|i am) (?:about |around |only |nearly |roughly )?(\d{1,2}) (?:weeks|wks)\b"
    r"(?=\s*(?:[,.;!?]|and\b|$))"
)
# Quotes around a few words are no part of them: "says he took 'a handful'".
QUOTED = re.compile(r"(?<=\s)'([a-z][a-z ]{0,28}[a-z])'(?=[\s,.!?]|$)")
# Fragments typed one word at a time: "chest. hurts." is "chest hurts".
BODY_FRAGMENT = re.compile(
    r"\b(chest|head|tummy|stomach|belly)\.\s+(hurts|hurting|pain|aches|tight)\b"
)
# "No reaction" to a food or a sting is no allergy trouble, not someone who does not respond:
# "had peanut for the first time, no reaction at all".
NO_REACTION = re.compile(
    r"\bno (?:allergic )?reactions?\b(?! (?:when|to (?:my|his|her|our|your|the|pain|voice|touch|"
    r"sound|light|anything|me|us|him|her|them)|from)\b)"
)
COLLAPSE_SCENE = re.compile(
    r"\b(?:floor|ground|collaps\w*|passed out|floppy|not breathing|unconscious|fainted)\b"
)
ALLERGY_TALK = re.compile(
    r"\b(?:allerg\w*|peanuts?|nuts?|eggs?|weaning|sting|stung|jab|vaccin\w*)\b"
)
# A face numb from a dental injection, wearing off: "face has drooped a bit on one side - it's
# the numbing injection from the dentist".
DENTAL_NUMBING = re.compile(
    r"^(?=.*\b(?:dentist|dental|filling|root canal)\b)(?=.*\b(?:numbing|anaesthetic|wearing off|"
    r"wears off)\b)"
)
DROOPING = re.compile(r"\b(?:drooped|drooping|droopy|droops)\b")
# Overwhelmed, not a headache: "my head's going to explode with all this paperwork".
EXPLODE_WITH_WORK = re.compile(
    r"\bexplode with (?:all )?(?:this|the|that|my) (?:paperwork|stress|work|admin|homework|"
    r"revision|worry|information|news|forms?)\b"
)
# Unsure, not confused: "I'm a bit confused about when he can go back to school".
CONFUSED_ABOUT = re.compile(
    r"\bconfused (?:about|as to) (?=(?:when|what|how|why|which|whether|if|where|who)\b)"
)
# A fever felt, with the floppiness left for its own phrase: "8 weeks old, hot and floppy".
HOT_AND_FLOPPY = re.compile(r"\bhot and floppy\b")
# Told of the headache itself, not denied: "went from no pain to the worst pain of my life".
FROM_NO_PAIN = re.compile(r"\bfrom (?:no|zero|0) pain to\b")
# A simile, not a gunshot: "grabbed her head, said it felt like she'd been shot".
LIKE_SHOT = re.compile(
    r"\blike (?:i'd|i had|i've|she'd|she had|he'd|he had|you'd|you've|someone'd|someone had) "
    r"(?:just )?been shot\b"
)
# Knocked out, told with a head knock: "hit my head on the patio, was out for a bit".
OUT_FOR_A_BIT = re.compile(
    r"\b(?:was|were|been) out (?:cold )?for a (?:bit|minute|moment|few seconds|few minutes|"
    r"second or two)\b(?! (?:shopping|walking|running|at|with|in|on|to)\b)"
)
HEAD = re.compile(r"\bhead\b")
# A burn cooled under the tap is no headache "under a minute": "put under cold water 20
# minutes".
UNDER_THE_TAP = re.compile(r"\bunder (?:the |a )?(?:(?:cold|cool|running) (?:water|tap)|tap)\b")
# Gone under the water: "he was under for a minute" (not a headache that came on "under a
# minute").
UNDER_WATER = re.compile(r"\b(was|went|been|were) under (?:the water |water )?for\b")
NOT_SHIVERING = re.compile(r"\b(?:not|isn't|wasn't) shivering any ?more\b|\bno longer shivering\b")
# A form's answer: "Pregnancy test: positive".
TEST_ANSWER = re.compile(r"\bpregnancy test:\s*(?:positive|pos|\+ve|\+)(?=\W|$)")
# A test done and told positive, with a sign of pregnancy near and no other test named: "did a
# test because I felt off, and it's positive", "I did the test, it is positive" (not a covid
# or a strep test, nor "did a test for chlamydia").
TEST_SAID_POSITIVE = re.compile(
    r"(?<!sister )(?<!friend )(?<!mate )(?<!daughter )(?<!cousin )(?<!colleague )"
    r"\b(?:did|done|took|taken|do) (?:a|the|another|a home) test\b(?! (?:for|on|at)\b)"
    r"(?=[^.!?]{0,50}\b(?:it's|it is|it was|it came back|came back|came up|showed|says|said) "
    r"(?:\w+ ){0,2}positive\b(?! for\b))"
)
# Read across the whole text around such a test.
OTHER_TEST = re.compile(
    r"\b(?:covid|lateral|lft|antigen|strep|flu|uti|urine infection|chlamydia|gonorrh\w*|sti|"
    r"std|hiv|drugs?|driving|bowel|smear|swab|blood test|allergy|hearing|eye|sight|ovulation|"
    r"opk|glandular|thyroid|mono|pylori|norovirus|noro|fit test|pcr|rapid test)\b"
)
PREGNANCY_HINT = re.compile(
    r"\b(?:pregnan\w*|period|coil|pill|implant|contracepti\w*|weeks|wks|ivf|spotting|shoulder|"
    r"late|missed|two lines|tummy|belly|stomach|low down|lower|sided?|side)\b"
)
# Spotting told at a number of weeks is told of a pregnancy: "my earlier message about spotting
# at 6 weeks" (not "spotting at 6 weeks into the pill", nor after a birth or a miscarriage).
AT_WEEKS = re.compile(
    r"\b(spotting|bleeding) at (\d{1,2}) (?:weeks|wks)\b"
    r"(?!\W*(?:after|post|since|old|into|postpartum|post-partum|of (?:the|my|her|this) "
    r"(?:pill|course|treatment)))"
)
NOT_A_PREGNANCY_BLEED = re.compile(
    r"\b(?:birth|born|c-section|caesarean|section|delivery|delivered|miscarr\w*|postnatal|"
    r"post-natal|postpartum|stitches|wound|cut|operation|surgery|tonsils?|coil|since|baby)\b"
)
# A child's age in brackets after a word for the child: "my grandson (7 weeks)", "the youngest
# (20 months)" (names are read by NAMED_AGE).
CHILD_BRACKET_AGE = re.compile(
    r"\b(son|daughter|grandson|granddaughter|nephew|niece|youngest|eldest|baby|boy|girl|"
    r"little one|toddler|child|kid) \((\d{1,2}) ?(weeks?|wks?|months?|mths?|days?|years?|yrs?)"
    r"(?: old)?\)"
)
PET_BEFORE = re.compile(rf"\b(?:{_PETS})\b")
# A baby who had their 8-week jabs today is about that many weeks old ("had her 8 week jabs this
# morning"; not jabs booked for later).
JABS_TODAY = re.compile(
    r"(?:(?:^|(?<=[.!?] ))|\b(?:baby|babby|son|daughter|little one|lo|twins?|bub|bubba|he|she|"
    r"they)\b[^.!?]{0,15}?)"
    r"\b(?:had|got|getting|having) (?:his|her|their|the) (\d{1,2})[- ]?(?:week|wk) "
    r"(?:jabs?|vaccinations?|vaccines?|immuni[sz]ations?|injections?)\b"
    r"(?= (?:today|this morning|this afternoon|earlier|yesterday|last night)\b)"
)
# Spots seen on the skin, not before the eyes: "I see small red spots on her leg".
SPOTS_SEEN = re.compile(
    r"\b(?:i|we) (?:can )?(?:see|saw|noticed) (?=(?:(?:some|small|tiny|little|a few|few|lots of|"
    r"loads of) )*(?:red|purple|pink|dark) spots\b)"
)
# Arms and legs shaking after a fall to the floor: a fit ("fell on the floor, her arms and legs
# are shaking hard"; not legs shaking after a workout).
LIMBS_SHAKING = re.compile(
    r"\b(?:his|her|their|my) arms and legs (?:were |are |was |is |started |kept |keep )?"
    r"(?:shaking|jerking|twitching|thrashing)\b"
)
FALL_SCENE = re.compile(r"\b(?:floor|ground|collaps\w*|fell|fallen)\b")
CHESS_PAIN = re.compile(r"\bchess (?=pains?\b|tightness\b|hurts\b)")
# "my chest is absolutely killing me" is chest pain, not the figure of speech "killing me".
CHEST_KILLING = re.compile(
    r"\b(chest|breastbone|sternum)(?:'s| is)?(?: (?:absolutely|really|proper|literally|bloody|"
    r"so))? killin[g']? (?:me|him|her)\b"
)
WAKE_AT_A_TIME = re.compile(
    r"\bwouldn't wake up (?=(?:at(?! all\b)|with|every|each|during|before|early|so early)\b)"
)
# "our lad's only 6 weeks and..." is an age (not "my boy's 6 weeks into his antibiotics").
YOUNG_AGE_SAID = re.compile(
    r"\b(lad|lass|boy|girl|little one|wee one|little man|youngest|grandson|granddaughter|nephew|"
    r"niece)'s (?:only |just )?(\d{1,2}) ?(days?|wks?|weeks?|months?)\b"
    r"(?=\s*(?:old\b|[,.!?]|and\b|$))"
)
# "I'm 24 and fit" is in good health, and a fitted alarm was put in: neither is a seizure.
FIT_AND_WELL = re.compile(
    r"\b((?:i'm|i am|im|he's|she's|he is|she is)(?: (?:1[6-9]|[2-9]\d|very|quite|young|"
    r"otherwise|generally))?) and fit\b"
    r"(?=\s*(?:$|[,.;!?]|and\b|but\b|no\b|with\b|apart\b|as a fiddle|for (?:my|his|her) age))"
)
FITTED = re.compile(
    r"(?<!\ba )(?<!\bhad )(?<!\bkeeps )(?<!\bkeep )(?<!\bis )(?<!\bwas )(?<!\bstarted )"
    r"(?<!\bbeen )\bfit(?:ted|ting)?\b(?= (?:(?:a|an|the|our|new|smoke|carbon monoxide|co)\s+){1,3}"
    r"(?:alarms?|detectors?|carpets?|kitchens?|bathrooms?|boilers?|locks?|doors?|windows?|"
    r"blinds?|shelves|cookers?|tyres?|brace|cast|boot|splint|stair ?gate|car seat)\b)"
)
# Fitted after what is fitted: "getting a new boiler fitted".
FITTED_AFTER = re.compile(
    r"\b((?:alarm|detector|carpet|boiler|lock|door|window|blind|cooker|tyre|stair ?gate|"
    r"car seat|hearing aid)s?) (?:(?:being|to be|was|were|got|get) )?fitted\b"
    r"(?! (?:for|x|twice|again|and|then|on and off)\b)"
)
# A seizure care plan is a document, said word for word: "having a seizure, his plan says" is not.
CARE_PLAN = re.compile(r"\b(?:seizure|epilepsy) (?:care |action |management )?plan\b")
# Vomited "just blood": only where the text speaks of being sick ("just want a blood test").
VOMITED = re.compile(
    r"\b(?:vomit\w*|sick|throw\w* up|threw up|puk\w+|heav(?:e|es|ed|ing)|retch\w*|bringing up)\b"
)
JUST_BLOOD = re.compile(r"\b(?:just|only|pure|all) blood\b")
# "do not" is "don't" and "can not" is "can't": one spelling for the phrase table and the
# negation cues ("is not able to" stays, as the table spells it: "not able to speak").
SPELT_OUT = re.compile(
    r"\b(do|does|did|is|are|was|were|will|has|have|had|could|can) not\b(?! able\b)"
)
SHORT = {"will": "won't", "can": "can't"}


def duration_days(text: str) -> float | None:
    """The longest time the (normalised) text says something has gone on, in days."""
    spans = [VAGUE_DURATIONS[match.group()] for match in VAGUE_DURATION.finditer(text)]
    ages = [range(*match.span()) for match in AGE.finditer(text)]
    for match in DURATION.finditer(text):
        if any(match.start() in age for age in ages):
            continue
        number, unit = match.groups()
        count = HOW_MANY.get(number) or NUMBER_WORDS.get(number) or float(number)
        spans.append(count * DAYS_PER_UNIT[unit[0]])
    return max(spans) if spans else None


# A rash that "doesn't disappear when pressed" does not fade: the glass test.
NOT_FADING = re.compile(
    r"\b(doesn'?t|don'?t|won'?t|didn'?t|does not|do not) (?:disappear|go away|vanish)"
    r"(?= (?:when (?:i |you |we |she |he )?press|when pressed|under (?:a |the )?glass|"
    r"with (?:a |the )?glass))"
)
# A fit of coughing, sneezing or laughter is a bout of it, not a seizure.
CHOKING_FIT = re.compile(r"\bchoking fits?\b")  # a choke, not a seizure
BOUT_OF = re.compile(
    r"\b(?:(?:coughing|sneezing|laughing|giggling) fits?|"
    r"fits? of (?:coughing|sneezing|laughter|giggles))\b"
)

# A form filled in: "chest pain? no. fever? no" (or "Weight loss: no") denies each. Only a short
# question that names a finding, answered with a bare "no": "is he breathing? no", "bleeding
# stopped? no" and "awake? no" say the danger is there, and "chest pain? no, more a tightness"
# keeps what follows.
FORM_ANSWER = re.compile(
    r"(?:^|(?<=[.!?,;:]))\s*(?:any )?"
    r"(?!(?:[a-z']+ ){0,2}(?:[a-z']*breath[a-z]*|pulse|awake|conscious|respond[a-z]*|moving|"
    r"alive|stop[a-z]*|help[a-z]*|work[a-z]*|eas[a-z]*|better|gone|fad[a-z]*|wak[a-z]*|"
    r"is|are|am|was|were|does|do|did|can|could|has|have|had|will|would|should|what|how|why|"
    r"when|where|who|which)[?:])"
    r"((?:[a-z']+ ){0,2}[a-z']+)[?:]\s*(?:no|nope|none|nil|negative)(?=\s*(?:[.,;!]|$))"
)

# ...and "is he breathing? no" says he is not.
NOT_BREATHING_ANSWER = re.compile(
    r"\b(?:is|are) (?:he|she|they|it|the baby|my \w+) breathing\?\s*(?:no|nope|not really)\b"
)

# A head rush that "passed in a few seconds" was over at once: no headache at its worst "in
# seconds". Right after the verb only: "passed out in a few seconds" and "gone blue in a few
# seconds" keep their words.
SOON_OVER = re.compile(
    r"\b(passed|passes|gone|goes|went away|goes away|settled|came round|come round|comes round|"
    r"came to|woke up|woke) (?:in|within|after) "
    r"(?:(?:a (?:few|couple of)|one|two|three|\d+) )?seconds?\b"
)
# Many puffs of a reliever inhaler are an attack it does not ease (BTS/SIGN 158); "one puff
# sorts it" is not.
MANY_PUFFS = re.compile(
    r"\b(?:[4-9]|[1-9]\d|four|five|six|seven|eight|nine|ten|twelve|twenty|several|lots of|loads "
    r"of|so many) puffs\b"
)
# No urine for many hours (NICE NG51: none in 18 hours is a high-risk sign of sepsis; NHS: no
# wet nappy in 12 hours is serious dehydration in a baby). Only with a long time: "hasn't weed
# since his nap" is not.
NO_URINE = re.compile(
    r"\b(?:hasn'?t|has not|haven'?t|have not|hadn'?t|not|no)\s+(?:had\s+(?:a|any)\s+)?"
    r"(?:weed|peed|urine(?! infection| test| sample| leak)|urinated|pass(?:ed|ing) (?:water|urine)|"
    r"wet nappy|wet nappies|wees?|pees?)\b"
    r"(?=[^.,;]*\b(?:since (?:yesterday|last night|this morning|morning|breakfast)|all day|"
    r"in (?:the last )?(?:1[2-9]|2\d) hours|for (?:1[2-9]|2\d) hours)\b)"
)


# "-ve" is a negative result ("-ve HPT"), not "+ve".
NEGATIVE_TEST = re.compile(r"(?<![\w+])-ve\b")
# "Dad's choking" is someone choking now (not "dad choked", which may be long over, nor "mum's
# choking back tears" or "my son's choking episodes").
SOMEONE_CHOKING = re.compile(
    r"\b(dad|father|husband|son|brother|boyfriend|grandad|grandpa|uncle|nephew|mum|mom|mam|"
    r"mother|wife|daughter|sister|girlfriend|nan|nana|gran|grandma|aunt|niece|toddler|child|"
    r"kid|partner|friend)'s choking\b(?! (?:up|back|episodes?|fits?|hazards?|risk)\b)"
)
# "My period was due 3 weeks ago" is a period late now, not history.
PERIOD_DUE = re.compile(
    r"\bperiod (?:was|is) due (?:\w+ )?(?:\d+|a|one|two|three|four|five|six) (?:days?|weeks?) ago\b"
    r"(?!,? (?:and |but )?(?:it )?(?:finally )?(?:came|started|arrived))"
)


@cache
def _table_words() -> frozenset[str]:
    return frozenset(
        word for symptom in symptoms().values() for p in symptom.phrases for word in p.split()
    )


def _jabs_age(match: re.Match[str]) -> str:
    """ "Baby had her 8 week jabs" is a baby 8 weeks old (not a puppy's jabs)."""
    if PET_BEFORE.search(match.string[max(0, match.start() - 30) : match.start()]):
        return match.group()
    return f"{match.group()} (at {match.group(1)} weeks old)"


def _named_age(match: re.Match[str]) -> str:
    if match.group(1).lower() in NOT_A_NAME or match.group(1).lower() in _table_words():
        return match.group()
    return f"{match.group(1)} ({match.group(2)} {match.group(3)} old)"


# What someone dreamt is no finding: "I dreamt last night I was unconscious on a ferry" (up to
# the end of what was dreamt: "... and woke up gasping, still can't breathe" keeps the rest).
DREAMT = re.compile(
    r"\b(?:dreamt|dreamed|(?:had a|a) dream(?: that| where)?)(?: last night)?(?: that)? "
    r"(?:i|he|she|we|they) (?:was|were)\b[^.!?,]{0,40}?"
    r"(?=\s+(?:and|but|then|so|woke|now|still|since)\b|[.!?,]|$)"
)
# A baby's head seen in a birth under way: "having the baby NOW, I can see the head, we're in
# the car" (not a tick's or a splinter's head, nor a scan photo).
HEAD_SEEN = re.compile(r"\b(?:i|we) can see (?:the|its|his|her) (?:baby's )?head\b")
BIRTH_TALK = re.compile(r"\b(?:baby|labour|labor|contractions|waters|pushing|birth)\b")
NOT_A_BIRTH = re.compile(r"\b(?:scan|tick|splinter|photo|picture|ultrasound|spot|pimple)\b")
# A pregnancy test told negative is no pregnancy: "did a pregnancy test because I was a bit
# late, it was negative".
NEGATIVE_PREGNANCY_TEST = re.compile(
    r"\b(?:a |the )?pregnancy test\b(?=[^.!?]{0,40}\b(?:negative|neg|not pregnant)\b)"
    r"(?![^.!?]{0,60}\bpositive\b)"
)
# A headache from something cold eaten fast is brain freeze: "sharp sudden headache eating ice
# cream too fast, gone in 20 seconds" (in that sentence only, and not a worst-ever one).
BRAIN_FREEZE = re.compile(r"\b(?:brain freeze|ice cream|ice-cream|slushie|slush|ice lolly)\b")
WORST_EVER = re.compile(r"\b(?:worst|thunderclap|ever|of my life|explo\w*|like being hit)\b")
# "Dying to see her" is longing (written over before the phrase table reads it, whose gaps would
# otherwise take "wants to die and she's planned to do it" for the same).
DYING_TO = re.compile(r"\bdying to\b(?! be honest)")
# "only a fortnight old" is 2 weeks old.
FORTNIGHT_OLD = re.compile(
    r"\b((?:baby|babby|bairn|son|daughter|boy|girl|grandson|granddaughter|one|newborn|he|she)"
    r"(?:'s| is| was)? (?:only |just |nearly |about )?)a fortnight old\b"
    r"|\b(?:a )?fortnight[- ]old (?=(?:baby|babby|son|daughter|boy|girl|grandson|granddaughter|"
    r"newborn)\b)"
)


def normalise(text: str) -> str:
    text = NAMED_AGE.sub(_named_age, text)
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = APOSTROPHE_LEFT_OUT.sub(lambda match: CONTRACTIONS[match.group()], text)
    text = TWIN_AGE.sub(r"\1 (\2 \3 old)", text)
    text = FORM_LINE.sub(r"\1.\n", text)
    text = CANT_PAUSE.sub(r"\1 ", text)
    text = PET_SENTENCE.sub(" ", text)
    text = VET_SENTENCE.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = LIGHT_HEADED.sub("lightheaded", text)
    text = GOODBYE_MESSAGE.sub("said goodbye", text)
    text = GOODBYE_TEXT.sub("said goodbye", text)
    if not ON_SCREEN.search(text):
        text = GOODBYE_SORRY.sub("said goodbye", text)
    text = NO_REACTIONS_FOR.sub("no allergy trouble ", text)
    text = STORM.sub("storm", text)
    text = ILLNESS_FORETOLD.sub("worry about my health", text)
    text = OVERDOSE_OF_FUN.sub("plenty of fun", text)
    text = FILM_TITLE.sub("film", text)
    text = WRONG_WAY.sub(lambda m: f"{m.group(1) or ''} went down awkwardly".lstrip(), text)
    text = SOMEONE_CAME_OFF.sub(lambda m: f"{m.group(1) or ''} fell {m.group(2)}".lstrip(), text)
    text = SI_NOTED.sub(r"\1 suicidal thoughts", text)
    text = SI_PLAN.sub("suicidal thoughts with a plan", text)
    text = NOTHING_DAFT.sub("no thoughts of self-harm", text)
    text = PETROL_DRUNK.sub(r"swallowed\1 petrol", text)
    text = SPIRIT_DRUNK.sub(r"\1 \2 alcohol", text)
    text = BABY_COMING_FAST.sub("baby is coming now", text)
    text = NEWLY_EXPECTING.sub("newly pregnant", text)
    text = EMBRYO_TRANSFER.sub("pregnant after ivf", text)
    text = NECK_SUCKING_IN.sub(r"\1 skin sucking in", text)
    text = POSITIVE_UPT.sub("positive pregnancy test", text)
    if not CEREBRAL_PALSY.search(text):
        text = CHEST_PAIN_NOTED.sub("chest pain", text)
    text = CHOKE_CLEARED.sub("coughed", text)
    text = DYING_OF_EMBARRASSMENT.sub("so embarrassed", text)
    text = PILE_OF.sub(r"\1 heap of", text)
    text = KNOCK_AT_SPORT.sub(r"\1 to the head", text)
    text = HOW_HIGH_TO_JUMP.sub("looking up a place to jump from", text)
    text = LONG_FLIGHT.sub("long flight", text)
    text = TIRED_LIFE.sub("tired of life", text)
    text = DOUBLED_OVER_A_TIME.sub("doubled during ", text)
    text = PIDGIN_PREGNANT.sub("is pregnant,", text)
    text = DIALECT_WORD.sub(lambda m: DIALECT[m.group()], text)
    text = HEAD_IS_PAIN.sub("headache", text)
    text = FROM_NO_PAIN.sub("from nothing to", text)
    text = HOT_AND_FLOPPY.sub("feels hot and floppy", text)
    text = SHAKE_IT_AWAKE.sub("have to flick it", text)
    text = SELF_WEEKS.sub(r"\1 \2 weeks pregnant", text)
    if ALLERGY_TALK.search(text) and not COLLAPSE_SCENE.search(text):
        text = NO_REACTION.sub("no allergy trouble", text)
    if DENTAL_NUMBING.search(text):
        text = DROOPING.sub("feels odd", text)
    text = EXPLODE_WITH_WORK.sub("overflow with work", text)
    text = CONFUSED_ABOUT.sub("unsure about ", text)
    text = QUOTED.sub(r"\1", text)
    text = BODY_FRAGMENT.sub(r"\1 \2", text)
    text = WEEKS_ALONG.sub(r"\1 \2 weeks pregnant", text)
    text = BOTTOM_OF_BELLY.sub(lambda m: f"lower {m.group(1) or ''} belly".replace("  ", " "), text)
    text = LIKE_SHOT.sub("like being shot", text)
    if HEAD.search(text):
        text = OUT_FOR_A_BIT.sub("passed out for a bit", text)
    text = UNDER_THE_TAP.sub("in cold water", text)
    text = UNDER_WATER.sub(r"\1 submerged for", text)
    text = NOT_SHIVERING.sub("stopped shivering", text)
    text = NOT_STOPPED.sub(r"still \1", text)
    text = TEST_ANSWER.sub("positive pregnancy test", text)
    if PREGNANCY_HINT.search(text) and not OTHER_TEST.search(text):
        text = TEST_SAID_POSITIVE.sub("did a positive pregnancy test", text)
    if not NOT_A_PREGNANCY_BLEED.search(text):
        text = AT_WEEKS.sub(r"\1 at \2 weeks pregnant", text)
    text = DYING_TO.sub("longing to", text)
    text = FORTNIGHT_OLD.sub(lambda m: f"{m.group(1) or ''}2 weeks old ", text)
    if BRAIN_FREEZE.search(text):
        text = re.sub(
            r"[^.!?]+",
            lambda m: (
                m.group().replace("headache", "brain freeze")
                if BRAIN_FREEZE.search(m.group()) and not WORST_EVER.search(m.group())
                else m.group()
            ),
            text,
        )
    text = NEGATIVE_PREGNANCY_TEST.sub("a test", text)
    if BIRTH_TALK.search(text) and not NOT_A_BIRTH.search(text):
        text = HEAD_SEEN.sub("the baby is crowning", text)
    text = DREAMT.sub("had a dream", text)
    text = CHILD_BRACKET_AGE.sub(r"\1 (\2 \3 old)", text)
    text = JABS_TODAY.sub(_jabs_age, text)
    text = SPOTS_SEEN.sub("there are ", text)
    if FALL_SCENE.search(text):
        text = LIMBS_SHAKING.sub("limbs jerking", text)
    if FIT_SCENE.search(text):
        text = LIMBS_GOING.sub("limbs jerking", text)
    text = NECK_DIP.sub(r"\1 neck skin sucking in", text)
    text = SHAKING_SOMEONE.sub(lambda m: f"{m.group(1) or ''} rousing {m.group(2)}".lstrip(), text)
    text = SHAKING_WITH_COLD.sub("shivering", text)
    text = SHAKING_WITH_FEAR.sub("frightened", text)
    text = WILL_NO.sub(r"\1 won't", text)
    text = FELL_OF.sub("fell off", text)
    text = PERIOD_DUE.sub("period is late", text)
    text = SOMEONE_CHOKING.sub(r"\1 is choking now", text)
    text = NEGATIVE_TEST.sub(" negative", text)
    text = ST_JOHN.sub("st john first aid", text)
    text = ON_A_PLATE.sub("fatty food", text)
    text = FELL_HEIGHT.sub(_fall_from, text)
    text = UP_OFF.sub("up from", text)
    text = SPELT_OUT.sub(lambda m: SHORT.get(m.group(1), m.group(1) + "n't"), text)
    text = FIT_AND_WELL.sub(r"\1 and healthy", text)
    text = FIT_FOR_A_TASK.sub("able ", text)
    text = PARAMEDIC_STUDENT.sub("trainee", text)
    text = YOUNG_AGE_SAID.sub(r"\1 is \2 \3 old", text)
    text = CHESS_PAIN.sub("chest ", text)
    text = CHEST_KILLING.sub(r"\1 pain", text)
    text = WAKE_AT_A_TIME.sub("wouldn't keep waking ", text)
    text = FITTED.sub("installed", text)
    text = FITTED_AFTER.sub(r"\1 installed", text)
    text = CARE_PLAN.sub("care plan", text)
    text = NORMAL_TEMPERATURE.sub(NORMAL_READING, text)
    text = LOW_TEMPERATURE.sub("body temperature too low", text)
    if not WENT_OUT.search(text):
        text = OUT_IN_THE_COLD.sub("outdoors", text)
    text = DRIED_MYSELF.sub(r"\1 off", text)
    text = CHOKING_FIT.sub("choked", text)
    text = BOUT_OF.sub(lambda m: m.group().replace("fit", "bout"), text)
    text = NOT_FADING.sub(r"\1 fade", text)
    text = NOT_BREATHING_ANSWER.sub("not breathing", text)
    text = SOON_OVER.sub(r"\1 quickly", text)
    text = MANY_PUFFS.sub("many puffs", text)
    text = NO_URINE.sub("no urine for long", text)
    if VOMITED.search(text):
        text = JUST_BLOOD.sub("vomit just blood", text)
    text = FORM_ANSWER.sub(r" no \1", text)
    return LISTED.sub(r"\1 ", text)


TIME_FILLERS = frozenset({"and", "about", "maybe", "roughly", "like", "or", "so", "few", "couple"})
BORN = re.compile(r"\b(?:born|birth|delivered)\W+(?:\w+\W+){0,2}$")


def _history(clause: str) -> list[bool]:
    """For each character of the clause, whether it is told as history. A time long ago covers
    the part of the clause between commas where it stands ("had chest pain last year, fine
    now"); a time that stands alone in its part covers the part before it too ("a seizure,
    years ago, none since"), or, opening the clause, the parts after it ("as a child, fits with
    fevers"); never a part that speaks of now. So "had my tubes tied years ago, period late,
    positive test", "history of angina, crushing chest pain" and "pressure in my chest, had
    stents in 2021" tell the rest as now."""
    bounds = [0, *(i + 1 for i, char in enumerate(clause) if char == ","), len(clause) + 1]
    parts = list(itertools.pairwise(bounds))
    history = [False] * len(parts)
    for marker in HISTORICAL.finditer(clause):
        if BORN.search(clause[: marker.start()]):
            continue  # "born 2 weeks ago" is an age, not history
        here = next(i for i, (start, end) in enumerate(parts) if start <= marker.start() < end)
        start, end = parts[here]
        rest = clause[start : marker.start()] + " " + clause[marker.end() : end]
        alone = not set(WORD.findall(rest)) - TIME_FILLERS
        if alone and here == 0:
            covered = range(len(parts))
        else:
            covered = range(here, max(here - 2, -1) if alone else here - 1, -1)
        for i in covered:
            if CURRENT.search(clause[parts[i][0] : parts[i][1] - 1]):
                break
            history[i] = True
    return [history[i] for i, (start, end) in enumerate(parts) for _ in range(start, end)]


def read(text: str) -> Reading:
    text = normalise(text)
    age = None if MOTHER.search(text) else age_in_months(text)
    reading = Reading(
        about_someone_else=bool(SOMEONE_ELSE.search(text)) and not MOTHER.search(text),
        mentions_child=(bool(CHILD.search(text)) and not MOTHER.search(text))
        or (age is not None and age < 16 * 12),
        age_in_months=age,
        talks_normally=talks_normally(text),
    )
    present: dict[str, None] = {}
    negated: dict[str, None] = {}
    unknown: dict[str, None] = {}
    table = lexicon()
    affirmed: list[str] = []
    studying = (
        bool(
            (STUDY.search(text) and ANYONE.search(text))
            or (FICTION.search(text) and CHARACTER.search(text))
        )
        and not CURRENT.search(text)
        and not reading.about_someone_else
    )
    timed: list[str] = []  # the clauses whose durations tell how long the complaint has lasted
    for clause in CLAUSE_BREAK.split(text):
        if not clause or not clause.strip():
            continue
        tokens = words_of(clause)
        words = [word for _, _, word in tokens]
        keys = [_word_keys(word) for word in words]
        if not MOTHER.search(text):
            reading.mentions_child |= any(word_keys & CHILD_KEYS for word_keys in keys)
        in_clause = frozenset().union(*keys)
        candidates = {
            phrase.rank: phrase
            for key in in_clause
            for phrase in table.phrases_by_first_word.get(key, ())
            if in_clause.issuperset(phrase.words)  # a cheap test before the search for each
        }
        taken = [False] * len(tokens)
        matches = []
        for rank in sorted(candidates):
            phrase = candidates[rank]
            while (positions := _find(phrase, keys, taken, words)) is not None:
                for position in positions:
                    taken[position] = True
                matches.append((tokens[min(positions)][0], phrase.code, positions))
        blanked = list(clause)
        for (start, end, _), is_taken in zip(tokens, taken, strict=True):
            if is_taken:
                blanked[start:end] = " " * (end - start)
        kept = list(clause)
        if not (HISTORICAL.search(clause) and not CURRENT.search(clause)):
            timed.append(clause)  # "had the same a few years back" says nothing of how long now
        history = _history(clause)
        for start, code, positions in sorted(matches):
            before = "".join(blanked[:start])
            historical = history[start]
            if code == ELSEWHERE:
                continue
            if code == NOT_A_FINDING:
                pass  # left out of the affirmed text too
            elif code == UNNAMED_FINDING:
                if not (historical or _negated(before, clause[start:])):
                    continue  # kept in the affirmed text, and no symptom
            elif (
                (historical and code not in HEARD_IN_ANY_TENSE)
                or (studying and code not in ALWAYS_HEARD)
                or (
                    code not in NEVER_PREVENTED
                    and _prevented(before, clause[start : tokens[max(positions)][1]])
                )
                or _negated(before, clause[start:])
            ):
                negated[code] = None
            else:
                present[HEARD_IN_ANY_TENSE.get(code, code) if historical else code] = None
                continue
            for position in positions:
                token_start, token_end, _ = tokens[position]
                kept[token_start:token_end] = " " * (token_end - token_start)
        # History is left out of the detector's text too ("had a heart attack in 2019, doing
        # fine"), apart from what is heard in any tense.
        heard = {i for _, code, positions in matches if code in present for i in positions}
        for index, (token_start, token_end, _) in enumerate(tokens):
            if history[token_start] and index not in heard:
                kept[token_start:token_end] = " " * (token_end - token_start)
        affirmed.append("".join(kept).strip())
        for (_, _, word), is_taken in zip(tokens, taken, strict=True):
            if not is_taken and WORD.fullmatch(word) and word not in COMMON:
                unknown[word] = None
    for pattern, code in NUMERIC_FINDINGS:
        if pattern.search(text):
            present[code] = None
    if peak_flow_halved(text):
        present["inhaler_not_helping"] = None
    # A temperature measured normal outweighs one only felt ("hot to touch, but the thermometer
    # says 37.2"), unless a fever is measured too, or may be ("a fever of 39 yesterday"); and
    # where none was felt, it denies one.
    if "arm_weakness" in present and SLEPT_ON_IT.search(text):
        present.pop("arm_weakness")
        negated["arm_weakness"] = None
    if NORMAL_READING in text and not FEVER_READING.search(text) and not FEVER_FIGURE.search(text):
        present.pop("fever", None)
        negated["fever"] = None
    if age is not None and age < YOUNG_INFANT_MONTHS:
        present["young_infant"] = None
    reading.may_be_baby = reading.mentions_child or bool(BABY_HINT.search(text))
    reading.duration_days = duration_days(" . ".join(timed))
    reading.present = with_implied(list(present))
    reading.negated = [code for code in negated if code not in reading.present]
    reading.unknown = list(unknown)
    reading.affirmed_text = ". ".join(affirmed)
    return reading
