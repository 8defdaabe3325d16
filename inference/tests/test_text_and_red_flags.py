"""Lay words to symptoms, negation, unknown words, and the red flags, case by case."""

import pytest

from inference.flag_detector import detector
from inference.text import read
from inference.triage import find_flags
from inference.vocabulary import symptoms


def flags_for(text: str) -> set[str]:
    """The rules' flags only: the learned detector is tested on the test sets."""
    reading = read(text)
    return set(find_flags(None, present=reading.present, reading=reading, age=None).codes)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I have chest pain and I'm short of breath", "possible_heart_attack"),
        ("crushing chest, cold sweat", "possible_heart_attack"),
        ("My husband's face is drooping on one side", "possible_stroke"),
        ("my mum has slurred speech since an hour", "possible_stroke"),
        ("I suddenly can't lift my arm", "possible_stroke"),
        ("the cut won't stop bleeding", "severe_bleeding"),
        ("I'm bleeding heavily from a wound", "severe_bleeding"),
        ("after eating peanuts my throat is closing", "possible_anaphylaxis"),
        ("hives all over and I can't breathe", "possible_anaphylaxis"),
        ("high temperature and a stiff neck", "possible_meningitis"),
        ("fever with purple spots on her legs", "possible_meningitis"),
        ("I want to die", "suicidal_thoughts"),
        ("lately I think about ending my life", "suicidal_thoughts"),
        ("my son is struggling to breathe", "child_breathing_difficulty"),
        ("my baby is wheezing", "child_breathing_difficulty"),
        ("the worst headache of my life started suddenly", "thunderclap_headache"),
        ("my dad went blind in his right eye this morning, no pain", "possible_stroke"),
        ("a man in the street is threatening to stab me", "stated_emergency"),
        ("the carbon monoxide alarm is beeping and I have a headache", "possible_poisoning"),
        ("is there a painless way to go", "suicidal_thoughts"),
        ("I can't get my dad to open his eyes", "unresponsive"),
        ("my brother's injuries are life-threatening", "stated_emergency"),
        ("there's been a crash and the driver is trapped", "stated_emergency"),
    ],
)
def test_red_flags_in_the_words_patients_use(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have a headache and a runny nose",
        "chest pain when I cough, no shortness of breath and no sweating",
        "fever but no stiff neck",
        "I am an adult and short of breath after running",  # breathless, but not a child
        "sore throat and a cough for three days",
        "my father had a heart attack last year and I have a cough",
    ],
)
def test_ordinary_complaints_raise_no_red_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "present", "negated"),
    [
        ("no fever", [], ["fever"]),
        ("I have a cough and no fever", ["cough"], ["fever"]),
        ("no fever or cough", [], ["fever", "cough"]),
        ("I don't have a fever but my chest hurts", ["chest_pain"], ["fever"]),
        ("Denies nausea. Vomiting since morning.", ["vomiting"], ["nausea"]),
        ("without headache, I feel dizzy", ["dizziness"], ["headache"]),
        ("no energy and chest pain", ["fatigue", "chest_pain"], []),  # "no" inside a phrase
    ],
)
def test_negation(text, present, negated):
    reading = read(text)
    assert sorted(reading.present) == sorted(present)
    assert sorted(reading.negated) == sorted(negated)


def test_unknown_words_are_reported_not_dropped():
    reading = read("I have a headache and my elbow feels wobbly")
    assert reading.present == ["headache"]
    assert reading.unknown == ["elbow", "wobbly"]


def test_unicode_apostrophes_and_case_are_understood():
    assert read("I CAN\u2019T BREATHE").present == ["severe_breathlessness", "shortness_of_breath"]


def test_every_symptom_has_a_name_and_phrases():
    table = symptoms()
    assert len(table) >= 40
    for code, symptom in table.items():
        assert symptom.name and symptom.phrases, code
        for phrase in symptom.phrases:
            assert code in read(phrase).present, (code, phrase)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # negation must not swallow what follows it
        ("No idea what's wrong, chest pain and short of breath", "possible_heart_attack"),
        ("Not feeling well at all, crushing chest pain, sweating", "possible_heart_attack"),
        ("I've never felt chest pain like this and I'm sweating", "possible_heart_attack"),
        ("no appetite for days and now chest pain and sweating", "possible_heart_attack"),
        ("fever, no cough, stiff neck", "possible_meningitis"),
        ("I never had a headache this bad, it came on suddenly", "thunderclap_headache"),
        # other words for the same thing
        ("chest pains and breathing difficulties", "possible_heart_attack"),
        ("chest pain, can't catch my breath", "possible_heart_attack"),
        ("chest pain and I'm drenched in sweat", "possible_heart_attack"),
        ("high fevers and a stiff neck", "possible_meningitis"),
        ("a rash that won't go away when pressed and a fever", "possible_meningitis"),
        ("my baby struggles to breathe", "child_breathing_difficulty"),
        ("worst headache I have ever had", "thunderclap_headache"),
        ("the worst headache of my whole life", "thunderclap_headache"),
        ("her face drooped suddenly", "possible_stroke"),
        ("his words are slurred", "possible_stroke"),
        ("I'm bleeding badly from my leg", "severe_bleeding"),
        ("the bleeding won't stop", "severe_bleeding"),
        ("my throat is swelling up after a bee sting", "possible_anaphylaxis"),
        ("I want to end it all", "suicidal_thoughts"),
        ("I keep thinking about suicide", "suicidal_thoughts"),
        ("I think about taking my own life", "suicidal_thoughts"),
        ("I took an overdose of paracetamol", "possible_poisoning"),
        ("my dad collapsed and won't wake up", "unresponsive"),
        ("my daughter is having a seizure", "seizure"),
        ("I think I'm having a heart attack", "stated_emergency"),
        ("my wife is having a stroke", "stated_emergency"),
    ],
)
def test_red_flags_survive_loose_negation_and_other_wordings(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    ("text", "present", "negated"),
    [
        ("no fever, cough and a sore throat", ["cough", "sore_throat"], ["fever"]),
        ("I have no history of anything like this, just a headache", ["headache"], []),
        ("the cough is not going away", ["cough"], []),
        ("no runny nose and a headache", ["headache"], ["runny_nose"]),
    ],
)
def test_negation_reaches_only_what_it_is_next_to(text, present, negated):
    reading = read(text)
    assert sorted(reading.present) == sorted(present)
    assert sorted(reading.negated) == sorted(negated)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # word forms: one stem
        ("I keep thinking about killing myself", "suicidal_thoughts"),
        ("he kills himself slowly with drink and says he wants to die", "suicidal_thoughts"),
        ("my chest pains are back", "chest_pain"),
        # other words in between, within one clause
        ("my neck is so stiff", "stiff_neck"),
        ("her face has gone all droopy", "face_droop"),
        # either order: "pressure in the middle of my chest"
        ("pressure in the middle of my chest", "chest_pain"),
        # misspellings of table words, but never of English words
        ("slurred speach", "speech_difficulty"),
        ("my son is breatheing fast", "shortness_of_breath"),
        ("chest pian", "chest_pain"),
        # numbers
        ("the thermometer says 39.2", "fever"),
        ("I took 30 paracetamol", "overdose"),
    ],
)
def test_wording_that_differs_from_the_table_is_still_read(text, code):
    assert code in read(text).present


def test_an_english_word_is_never_taken_for_a_misspelt_symptom():
    assert "severe_bleeding" not in read("sneezing every spring").present  # not "spurting"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("my neck is not stiff", "stiff_neck"),  # a negation never sits inside a phrase
        ("temperature is 36.9", "fever"),
        ("I had a seizure 2 years ago and none since", "seizure"),  # history, not now
        ("I need a fit note for my back", "seizure"),  # a figure of speech
        ("I'm dying to know my results", "stated_emergency"),
        ("my wife is going to kill me if I forget our anniversary", "stated_emergency"),
        ("did the glass test and the rash faded completely", "non_blanching_rash"),
        ("I almost died laughing at the film", "stated_emergency"),
        ("the kids are giving me a heart attack today", "stated_emergency"),
        ("my arm went numb after lying on it", "arm_weakness"),
        ("he has been seizure free for years", "seizure"),
        ("how do you help someone having a seizure? it's for my first aid course", "seizure"),
    ],
)
def test_what_is_denied_past_or_a_figure_of_speech_is_not_present(text, absent):
    assert absent not in read(text).present


def test_a_figure_of_speech_is_left_out_of_what_the_detector_reads():
    assert "death" not in read("I'm bored to death at work").affirmed_text


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # a real event beside a course is heard: nothing says "if someone"
        ("on my first aid course the instructor collapsed and isn't breathing", "unresponsive"),
        # the gravest flags are always heard
        ("for my school project: is it normal to want to kill myself", "suicidal_thoughts"),
    ],
)
def test_a_study_question_never_hides_a_real_emergency(text, flag):
    assert flag in flags_for(text)


def test_history_gives_way_to_now():
    text = "I had a heart attack 3 years ago and now crushing chest pain and sweating"
    assert "possible_heart_attack" in flags_for(text)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("my 6 week old", 12 / 52.2 * 6),
        ("a 10-day-old baby", 10 / 30.4),
        ("our son (4) is", 48),
        ("my 2yo", 24),
        ("newborn", 0),
        ("she is 38 weeks pregnant", None),
    ],
)
def test_ages_are_read_from_the_text(text, months):
    age = read(text).age_in_months
    assert age == pytest.approx(months) if months is not None else age is None


def test_a_fever_in_a_baby_under_three_months_is_an_emergency():
    assert "infant_fever" in flags_for("my 6 week old has a temperature of 38.2")
    assert "infant_fever" not in flags_for("my 10 month old has a temperature of 38")
    # nor from the detector, which cannot read ages
    reading = read("my 5 month old has a temperature of 38.4")
    assert (
        "infant_fever"
        not in find_flags(detector(), present=reading.present, reading=reading, age=None).codes
    )
    # the mother's fever, not the baby's
    assert "infant_fever" not in flags_for("I'm breastfeeding my 5 week old and I have a fever")
    since_the_baby = read("since having the baby 7 weeks ago I've had piles and a fever")
    assert "young_infant" not in since_the_baby.present
    assert not since_the_baby.mentions_child


def test_pain_low_in_the_belly_in_a_possible_pregnancy_is_an_emergency():
    assert "possible_ectopic_pregnancy" in flags_for(
        "my period is 2 weeks late and I have sharp pain low on my left side"
    )
    assert "possible_ectopic_pregnancy" not in flags_for("my period is late, no pain at all")


@pytest.mark.parametrize(
    "text",
    [
        "sometimes I think everyone would be better off without me",
        "I wish I could go to sleep and never wake up",
        "my son says he wants to end it all",
    ],
)
def test_any_mention_of_ending_a_life_raises_the_flag_even_hedged(text):
    assert "suicidal_thoughts" in flags_for(text)


def test_the_detector_reads_what_is_left_once_denials_are_taken_out():
    reading = read("no thoughts of self-harm, just a sore throat")
    assert "suicidal_thoughts" in reading.negated
    assert "self" not in reading.affirmed_text and "sore throat" in reading.affirmed_text
    findings = find_flags(detector(), present=reading.present, reading=reading, age=30)
    assert findings.codes == []


def flags_at(text: str, age: int | None) -> set[str]:
    reading = read(text)
    return set(find_flags(None, present=reading.present, reading=reading, age=age).codes)


def test_a_snorers_gasp_is_sleep_apnoea_but_a_child_or_blue_lips_still_raise_a_flag():
    snorer = "my wife says I snore really loudly and sometimes stop breathing then gasp"
    assert flags_at(snorer, age=52) == set()
    child = "my son snores and stops breathing at night then gasps"
    assert "child_breathing_difficulty" in flags_at(child, age=None)
    blue = "he snores loudly, now he is gasping and his lips are blue"
    assert "severe_breathing_difficulty" in flags_at(blue, age=60)
    awake = "I'm gasping for air and can't get my words out"
    assert "severe_breathing_difficulty" in flags_at(awake, age=52)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("pins and needles at night, I have to shake my hand to get the feeling back", "seizure"),
        ("I wake at 3am and can't get back off", "unresponsive"),
        ("I sleep on three pillows or I can't breathe", "severe_breathlessness"),
        ("woke up with my big toe on fire and swollen", "stated_emergency"),
        ("I can't lift my arm above my head since the shoulder started", "arm_weakness"),
        ("what's the number for non-emergency advice", "stated_emergency"),
        ("my hands are red and cracked from the new washing up liquid", "overdose"),
    ],
)
def test_everyday_wordings_that_once_raised_a_false_alarm(text, absent):
    assert absent not in read(text).present


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("itchy rash for 3 weeks", 21),
        ("Been about 2 weeks.", 14),
        ("coughing since 2 weeks ago", 14),
        ("Had a cold 6 days ago, now my face feels full", 6),
        # history dates something else, not how long this has gone on
        ("ear blocked for about a week. had the same thing a few years back", 7),
    ],
)
def test_how_long_it_has_gone_on(text, days):
    assert read(text).duration_days == days


def test_since_a_time_is_now_not_history():
    assert "cough" in read("coughing since 2 weeks ago").present
    assert "seizure" not in read("I had a seizure 2 years ago and none since").present


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("hit my head on a beam and now I can't remember what happened", "serious_head_injury"),
        (
            "walked into a lamp post, banged my head, everything is blurry now",
            "serious_head_injury",
        ),
        ("her soft spot looks swollen and tight", "possible_meningitis"),
        ("the fontanelle is bulging and he won't settle", "possible_meningitis"),
        ("I think someone slipped something in my drink", "possible_poisoning"),
        ("she has been taking her tablets wrong and is very confused", "possible_poisoning"),
        ("asthma attack, ventolin is doing nothing", "severe_breathing_difficulty"),
    ],
)
def test_the_signs_added_for_batch_eleven_raise_their_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # a knock that memory or sight problems do not follow, and a fall without a knock
        ("I wear glasses and my memory has been poor for years", "serious_head_injury"),
        ("my son had a febrile convulsion 2 years ago, now he has a cold", "seizure"),
        ("my eczema has flared up on my hands again", "severe_breathing_difficulty"),
        ("I feel on the edge of my seat watching the match", "suicidal_thoughts"),
    ],
)
def test_near_misses_of_the_new_signs_stay_quiet(text, flag):
    assert flag not in flags_for(text)


def test_an_episode_long_ago_is_history_even_when_the_next_clause_says_now():
    reading = read("I had a seizure 2 years ago, now I'm fitting again")
    assert "seizure" in reading.present
    reading = read("I had a seizure 2 years ago, now I just have a cough")
    assert "seizure" in reading.negated and "cough" in reading.present


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("it feels like a bad cold, blocked nose", "feeling_cold"),
        ("been sick twice, drinking ok", "alcohol"),
        ("a painful red lump on the edge of my eyelid", "anxiety"),
    ],
)
def test_everyday_words_are_not_read_as_another_symptom(text, absent):
    assert absent not in read(text).present


def test_a_denied_word_that_names_no_symptom_is_left_out_of_the_detectors_text():
    reading = read("10 weeks pregnant, some nausea, no pain and no bleeding")
    assert "pain" not in reading.affirmed_text and "bleeding" not in reading.affirmed_text
    assert "nausea" in reading.affirmed_text
    # said, it stays, and names no symptom of its own
    reading = read("there is pain and bleeding")
    assert "pain" in reading.affirmed_text and "bleeding" in reading.affirmed_text
    assert reading.present == []


@pytest.mark.parametrize(
    ("text", "talks"),
    [
        ("breathless but I can talk fine", True),
        ("she can still speak normally", True),
        ("she can still speak in full sentences", False),  # too often the denied sign
        ("talking normally", True),
        ("he can't talk in full sentences", False),
        ("cant talk in full sentences", False),
        ("she isn't able to speak clearly", False),
        ("having trouble talking in full sentences", False),
        ("I can talk but only a few words at a time", False),
        ("it's hard to speak in full sentences", False),
        ("can no longer talk in full sentences", False),
        ("too breathless to talk normally", False),
        ("I struggle to talk normally", False),
        ("can't get enough breath to talk normally", False),
    ],
)
def test_saying_one_talks_normally_is_read_and_its_denial_is_not(text, talks):
    assert read(text).talks_normally is talks


def test_a_condition_that_flared_lately_is_now_not_history():
    reading = read("IBS diagnosed 3 years ago, the bloating has flared this week")
    assert "bloating" in reading.present
    assert "bloating" in read("IBS diagnosed 3 years ago, bloating bad lately").present
    assert "bloating" not in read("IBS diagnosed with bloating 3 years ago, fine now").present


def test_a_time_long_ago_covers_its_own_part_of_the_clause():
    late = read(
        "had my appendix out years ago, period is late, positive test, cramping on the left"
    )
    assert {"missed_period", "pregnancy", "pelvic_pain"} <= set(late.present)
    assert "seizure" not in read("I had a seizure, years ago, none since").present
    assert "seizure" not in read("as a child, fits with fevers, none since").present
    # a time told with a birth is an age, not history
    assert "fever" in read("my newborn (born 2 weeks ago) has a high temp").present
    # and what is history is left out of what the learned readers read
    assert "heart" not in read("had a heart attack in 2019, doing fine since").affirmed_text


def test_a_collapse_raises_both_its_flags_by_the_rules():
    assert {"stated_emergency", "unresponsive"} <= flags_for("my dad has collapsed at work")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("wheezing so much I stop after every word", "severe_breathing_difficulty"),
        ("been having too much codeine for my back, now very sleepy", "possible_poisoning"),
        ("he went out cold after the fall and is confused now", "unresponsive"),
        ("hit my head and was knocked out in the cold for a minute", "unresponsive"),
        ("shaking all over and it won't stop", "seizure"),
        ("I dried my tears and I want to kill myself", "suicidal_thoughts"),
    ],
)
def test_wordings_found_in_later_batches_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("chest goes tight when I walk out in the cold", "chest_pain", "unresponsive"),
        ("cramps and diarrhoea since the barbecue", "abdominal_pain", "muscle_aches"),
        ("leg cramps at night", "muscle_aches", "abdominal_pain"),
        ("I'm taking too much time off work with this cough", "cough", "overdose"),
    ],
)
def test_near_wordings_read_as_what_they_mean(text, present, absent):
    reading = read(text)
    assert present in reading.present
    assert absent not in reading.present


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        # a serious injury is an emergency in itself
        ("my brother has been stabbed in the arm", {"stated_emergency"}),
        ("she was hit by a car crossing the road", {"stated_emergency"}),
        ("he got electrocuted changing a fuse", {"stated_emergency"}),
        ("my son fell out of a first floor window", {"stated_emergency"}),
        ("you can see the bone poking out of his shin", {"stated_emergency"}),
        ("our toddler pulled the kettle over herself", {"stated_emergency"}),
        ("fell off the roof and now he's confused", {"stated_emergency", "serious_head_injury"}),
        # an overdose taken on purpose is self-harm, in any tense
        ("she took a load of tablets deliberately", {"possible_poisoning", "suicidal_thoughts"}),
        ("I overdosed on purpose last year", {"suicidal_thoughts"}),
        # believe them, and name it
        ("I'm having a heart attack I think", {"possible_heart_attack", "stated_emergency"}),
        ("I think my wife is having a stroke", {"possible_stroke", "stated_emergency"}),
        ("ma wee boy cannae breathe right", {"child_breathing_difficulty"}),
        ("hit his head at rugby and one pupil is bigger than the other", {"serious_head_injury"}),
        ("came off his scooter no helmet and was knocked out", {"unresponsive"}),
        ("my breathing is so laboured I can hardly move", {"severe_breathing_difficulty"}),
    ],
)
def test_serious_injuries_and_plain_words_for_an_emergency_raise_their_flags(text, flags):
    assert flags <= flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "got a small static shock off the car door",
        "this pain in my back is like being stabbed",
        "had a car accident in 2015 and my back has ached since",
        "my meeting might run over so I could be late",
        "bumped my head on the cupboard, didn't pass out, just a lump",
        "blocked nose, can't breathe through it when lying down",
        "what counts as an emergency at the weekend?",
        "I'd die for a lie in",
        "my son had a fit when he was baby, none since he was two",
    ],
)
def test_near_misses_of_injuries_denials_and_history_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # history covers only its own part of a clause, and "ages ago" may be an hour ago
        (
            "history of angina, crushing chest pain, sweating, started an hour ago",
            "possible_heart_attack",
        ),
        ("history of epilepsy, fitting for 10 minutes, won't stop, started at 3pm", "seizure"),
        (
            "In 2019 I had a stroke, face drooping, slurred speech, started 20 mins ago",
            "possible_stroke",
        ),
        (
            "he hit his head ages ago and he's been sick twice and is really drowsy",
            "serious_head_injury",
        ),
        ("his old arm weakness is much worse and his face is drooping", "possible_stroke"),
        ("as a child I had asthma, can't breathe, lips blue", "severe_breathing_difficulty"),
        # "didn't" denies only what follows a knock
        ("GTN spray didn't touch the chest pain, I'm sweating", "possible_heart_attack"),
        ("he didn't stop fitting for 10 minutes", "seizure"),
        ("she didn't eat breakfast then collapsed", "stated_emergency"),
        ("she didn't even notice she was bleeding heavily", "severe_bleeding"),
        # a pain like a stab is still chest pain; an accident told as one is no alibi
        ("feels like being stabbed in the chest, sweaty and sick", "possible_heart_attack"),
        ("I told the nurse I cut myself by accident but I did it on purpose", "suicidal_thoughts"),
        ("crushing chest pain and his skin looks mottled", "possible_heart_attack"),
        ("took the tablets because I didn't want to live anymore", "suicidal_thoughts"),
        ("I took all my pills on purpose", "suicidal_thoughts"),
    ],
)
def test_wordings_a_review_found_hidden_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "got my flu shot yesterday and my arm is sore",
        "had a minor car accident yesterday, my neck is stiff and sore",
        "my little finger got crushed by a door and is swollen",
        "the skin is coming off my lips",
        "I burnt my hand on the chip pan, small blister",
        "my finger is bent the wrong way after netball",
        "accidentally stabbed my finger with a fork",
        "this is the end of my second week of antibiotics and my cough is still there",
        "toddler bumped head on the table, didnt knock himself out, acting normal",
    ],
)
def test_everyday_injuries_a_review_found_alarming_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("hot oil from the fryer splashed all over his face and arms", "stated_emergency"),
        (
            "my husband was bitten by a snake while hiking and his ankle is swelling",
            "stated_emergency",
        ),
        (
            "it's not urgent really but my chest is crushing and I'm sweating",
            "possible_heart_attack",
        ),
        (
            "she was nearly run over, then hit her head on the kerb and keeps vomiting",
            "serious_head_injury",
        ),
        ("as a child he had fits, just now he had a fit lasting 5 minutes", "seizure"),
    ],
)
def test_wordings_found_in_batch_twenty_five_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "non urgent: can I get a repeat of my inhaler",
        "my daughter was almost hit by a car on the crossing, just shaken up, not hurt",
        "he's so hard to wake up in the morning for school",
        "had hives to amoxicillin as a kid (just an itchy rash), can I have cefalexin?",
        "sniffles and a sore throat, what can I take with my blood pressure pills?",
    ],
)
def test_near_misses_found_in_batch_twenty_five_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "my nan slipped on the ice, her hip is broken I think, leg turned outwards",
            "stated_emergency",
        ),
        (
            "got bleach splashed in my eyes cleaning the bathroom, they're burning",
            "stated_emergency",
        ),
        (
            "neighbour was lying outside all night in the frost, now he's confused",
            "stated_emergency",
        ),
        ("she's hypothermic after falling in the canal", "stated_emergency"),
        (
            "came on suddenly: short of breath, and my left calf is hot and swollen",
            "severe_breathing_difficulty",
        ),
        # a denied figure of speech is no figure
        (
            "the rash doesn't disappear when I press a glass on it, she's burning up",
            "possible_meningitis",
        ),
        ("had a coughing fit and then he had a fit, jerking all over", "seizure"),
    ],
)
def test_wordings_found_in_batch_twenty_six_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "my daughter gets sneezing fits every spring",
        "coughing fits at night since my cold",
        "need a medical saying I'm fit to fly after my op",
        "worried about having a stroke as my mum had one, no symptoms",
        "the eczema rash on my arms doesn't go away with the cream",
    ],
)
def test_near_misses_found_in_batch_twenty_six_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "my little girl is choking on a sweet, she can't breathe",
        "she's choking on her dinner and has gone quiet",
        "grandad has heatstroke after working in the greenhouse, he's muddled",
        "my partner is in labour on the bathroom floor, I can see the baby's head",
        "the cord is coming out and the baby isn't here yet",
        "a rocket firework hit his face at the display",
        "his foot got mangled in the lawnmower",
        "mum has fallen in the kitchen and can't get up, she's 86",
        "dad has fallen in the bathroom and can't get back up off the floor",
        "the dog ran onto the lake and my son went through the ice after it",
    ],
)
def test_grave_situations_from_the_nhs_list_of_999_calls_raise_a_flag(text):
    assert flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I choke on my tablets sometimes, can I get them as liquid?",
        "what is the difference between heat exhaustion and a faint?",
        "booked in for my 20 week scan, can my partner come?",
        "we watched the fireworks last night and my ears are ringing a bit",
    ],
)
def test_near_misses_of_the_grave_situations_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("he was hit by a car nearly an hour ago", "stated_emergency"),
        (
            "had a heart attack last month and the crushing chest pain is back, sweating",
            "possible_heart_attack",
        ),
        ("had a stroke years ago and just a minute ago his face dropped again", "possible_stroke"),
        (
            "I was in the car crash on the news and my neck hurts, the car rolled",
            "stated_emergency",
        ),
    ],
)
def test_emergencies_a_review_of_batch_twenty_six_found_hidden_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can see the head of the tick still in his skin",
        "my baby's choking on her milk a bit during feeds",
        "got a small chemical burn on my scalp from hair dye",
        "I fell asleep on the sofa and can't get up without back pain",
    ],
)
def test_false_alarms_a_review_of_batch_twenty_six_found_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "my brother fall in the river and we pulled him out, he is shivering and not talking right",
        "she was pulled from the river half an hour ago, now very drowsy",
        "my mate slipped off the jetty, we got him out of the river, he's not talking sense",
    ],
)
def test_someone_taken_from_cold_water_and_not_themselves_raises_a_flag(text):
    assert "stated_emergency" in flags_for(text)


def test_a_child_who_drank_thinners_raises_the_poisoning_flag():
    assert "possible_poisoning" in flags_for(
        "the kids found paint thinners in the garage and the little one drank some"
    )


@pytest.mark.parametrize(
    "text",
    [
        "my hair is getting thinner on top",
        "I had one seizure (around 2015) and nothing since, need a driving form",
        "my throat goes tight with nerves before a presentation",
        "got a static shock off the car door",
        "a small electric shock from the toaster, I'm fine",
        "my son is 3 and not talking right yet, only a few words",
    ],
)
def test_near_misses_found_in_batch_twenty_seven_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "my grandad wandered out and we found him sitting in the snow in his slippers, "
            "he's slurring",
            "stated_emergency",
        ),
        (
            "the lads have been laying tarmac in the heatwave and one of them is now slurring",
            "stated_emergency",
        ),
        (
            "she was gardening in the sun all day and now she's confused and not making sense",
            "stated_emergency",
        ),
        ("he touched a live wire at work and he's got burns on both hands", "stated_emergency"),
        ("my son is choking on a grape and going blue", "stated_emergency"),
        ("dad is choking on his food and can't breathe", "stated_emergency"),
        ("he's shut in the garage, in the car with a hosepipe running", "suicidal_thoughts"),
        ("toddler has a fever and has gone all limp", "unresponsive"),
        (
            "mi son lick him head pon di table an now him sleepy sleepy an a vomit",
            "serious_head_injury",
        ),
    ],
)
def test_wordings_found_in_batch_twenty_eight_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I havent had a fit in five years, need my tablets renewed",
        "I haven't had any fits for years",
        "gym fitness classes are giving me sore legs",
        "so bored in this queue I could die",
        "we had a picnic in the heatwave, a bit sunburnt but fine",
        "nearly choked on a fishbone last night but coughed it up",
        "had a touch of heatstroke on holiday last week, fine now",
    ],
)
def test_near_misses_found_in_batch_twenty_eight_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "I'm a uni student, what are the signs of meningitis? I have a stiff neck and a high "
        "fever and a rash that doesn't fade",
        "I'm a student, just wondering what the signs of a stroke are, my face has gone droopy",
        "she hasn't had a fit like this before, it's been going on 10 minutes",
        "she hadn't had a fit in years until this morning",
        "dont have my inhaler wheezing really bad cant talk",
        "she doesnt look right her lips are blue",
        "dad (1951) crushing chest pain and sweating",
        "think he has a touch of heatstroke, he's confused and not sweating",
        "he choked on a sweet and is making no sound",
        "grandad has been out in the cold for hours and is confused",
        "got him out of the sea, very cold and confused",
        "my son has sunstroke and is confused and drowsy",
    ],
)
def test_emergencies_a_review_of_batches_twenty_seven_and_eight_found_hidden_raise_a_flag(text):
    assert flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm a bit confused about how much calpol to give in this heatwave",
        "my toddler is sleepy and grumpy in this heat, drinking ok",
        "kids sat in the snow sledging, my daughter's a bit sleepy now",
        "dog got out of the canal and i cut my hand pulling him out, feeling a bit dazed",
        "baby keeps choking on her food when weaning, is this normal",
        "feels like i'm choking on a piece of food, lump in my throat for weeks",
        "my hair is all limp and greasy since the baby",
        "i feel like a rag doll, exhausted all the time",
        "toys were thrown across the room in a tantrum, now he's got a temperature",
        "the kids were playing in the car with a hosepipe and one got soaked, now has a cold",
        "had the shivers with a fever, stopped shivering now, a bit sleepy",
    ],
)
def test_false_alarms_a_review_of_batches_twenty_seven_and_eight_found_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Fever? No. Rash? No. Just a sore ear",
        "chest pain? nope. breathless? no. need my statins repeated",
        "Any fits? None. Headache? No. Just a cough",
    ],
)
def test_a_form_answered_no_denies_each_finding(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("is he breathing? no", "unresponsive"),
        (
            "Chest pain? no, more a heavy pressure in my chest and I'm sweating",
            "possible_heart_attack",
        ),
    ],
)
def test_a_form_answer_keeps_what_says_the_danger_is_there(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("his legs got pinned by the forklift against the racking", "stated_emergency"),
        (
            "we got out of the house fire but my son is coughing up black stuff and wheezing",
            "stated_emergency",
        ),
        (
            "my ex put his hands round my neck last night, my voice is croaky now",
            "stated_emergency",
        ),
        (
            "grandad has a chest infection, his skin is mottled and he hasn't weed since breakfast",
            "stated_emergency",
        ),
        (
            "my baby has had sickness and diarrhoea, no wet nappies since this morning and she's "
            "very drowsy",
            "stated_emergency",
        ),
        (
            "nan's had the runs for days, not passed water since yesterday and she's confused",
            "stated_emergency",
        ),
        ("the dye they injected for my CT scan has made my lips swell up", "possible_anaphylaxis"),
        ("hit my head on the shelf and there's blood coming out of ear", "serious_head_injury"),
        ("found him slumped outdoors in the frost, he's mumbling and ice cold", "stated_emergency"),
        ("passed three black tarry motions today and nearly fainted", "severe_bleeding"),
    ],
)
def test_wordings_found_in_batch_twenty_nine_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "two puffs of my inhaler sort my wheeze out in minutes, I can talk fine",
        "stood up too quickly and saw stars, it passed in a few seconds",
        "we had a house fire years ago, I still get nervous about candles",
        "my toddler hasn't had a wet nappy since lunch but he's drinking now and running about",
        "walked the dog in the frost this morning, a bit sleepy after lunch",
    ],
)
def test_near_misses_found_in_batch_twenty_nine_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "he's gone blue in a few seconds",
        "he hit his head and passed out in a few seconds",
        "I've had 10 puffs of my blue inhaler in the last hour, chest tight and wheezy",
        "10 puffs of ventolin, still wheezing badly",
        "my nan's had a fall and can't get back up",
        "he hasn't peed since last night, fever and very drowsy",
        "my baby hasn't had a wet nappy since yesterday and has a fever",
        "he grabbed me by the throat and squeezed until I nearly passed out",
        "he was in a burning building and is coughing up black stuff",
    ],
)
def test_emergencies_a_review_of_batch_twenty_nine_found_hidden_raise_a_flag(text):
    assert flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "my toddler hasn't weed much today and is a bit sleepy with a cold",
        "low blood pressure and a bit sleepy after my night shift",
        "my toddler hasn't weed since his nap an hour ago and has a temperature of 38",
        "I have metal pins in my legs from an old fracture",
        "our flat fire alarm keeps going off",
        "I put my hands round my neck and can feel a lump on one side",
        "she let out a strangled cry when she bumped her knee",
        "breathed in some smoke from the toast burning, coughing a bit",
        "tarry smell on my clothes from the roofing job, feel dizzy",
        "I've got goose bumps all over and feel dizzy with the chills",
        "in contrast the scan was clear, I still feel dizzy",
        "he was mumbling in his sleep after bumping his head yesterday, otherwise fine",
        "found frost on the car this morning and my mum with dementia is confused as usual",
    ],
)
def test_false_alarms_a_review_of_batch_twenty_nine_found_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "my dad has a chest infection and his skin has gone mottled",
        "baby has a temperature and her skin looks mottled",
    ],
)
def test_mottled_skin_with_an_infection_or_fever_is_sepsis_with_a_high_risk_sign(text):
    assert "stated_emergency" in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "mottled skin on my legs when I get out of a cold bath",
        "just coming out of a cold, still a bit chesty",
    ],
)
def test_mottled_legs_after_a_bath_and_getting_over_a_cold_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "she lost consciousness for a minute after hitting her head, now keeps vomiting",
            "serious_head_injury",
        ),
        ("my grandad lost consciousness in the garden and hasn't come back", "unresponsive"),
        ("my little boy is all soft in my arms and won't open his eyes", "unresponsive"),
        ("the diver came up too fast and now his legs are numb", "stated_emergency"),
        ("I think he has decompression sickness after diving this morning", "stated_emergency"),
        ("temp 34.1, found on the kitchen floor this morning, very drowsy", "stated_emergency"),
        ("found after a night in the snow, stopped shivering, slow to respond", "stated_emergency"),
        ("her left arm has no power, can't lift it", "possible_stroke"),
        ("food keeps falling out of one side of his mouth", "possible_stroke"),
        ("asthma, the pump serves to nothing, she is gasping", "severe_breathing_difficulty"),
        ("my baby is 5 weeks and it is 2 days since she had a temp of 38.2", "infant_fever"),
        ("advice on preventing self harm urges at night please", "suicidal_thoughts"),
    ],
)
def test_emergencies_told_as_in_batch_thirty_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "it is 2 days since my cold started and I have a temperature of 38.3",
        "this is 3 weeks now of a cough with a temp of 38",
        "fever 38.5 and a cough, which is 2 days now",
        "any tips on avoiding heatstroke at the festival?",
        "how to prevent a heart attack when you have high cholesterol",
        "at what temperature should I worry about a newborn? mine is due in May",
        "I didn't lose consciousness, just a bump on the head",
        "no power in the house since the storm and I feel dizzy",
    ],
)
def test_false_alarms_told_as_in_batch_thirty_raise_no_flag(text):
    assert flags_for(text) == set()


def test_a_rash_that_fades_under_a_glass_is_left_out_of_the_detectors_text():
    reading = read("the rash on her back fades when I press a glass on it, she's playing")
    assert "fades" not in reading.affirmed_text and "possible_meningitis" not in flags_for(
        "the rash on her back fades when I press a glass on it, she's playing"
    )


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "my husband is burning up with a splitting head and can't bear the light",
            "possible_meningitis",
        ),
        ("my baby has sunken eyes and is very drowsy after vomiting all day", "stated_emergency"),
        ("baby not passing urine since morning and his soft spot is sunken", "stated_emergency"),
        ("haematemesis x2 this morning, feels faint", "severe_bleeding"),
        ("+ve hcg, one sided pain and light headed", "possible_ectopic_pregnancy"),
        ("watery stuff coming out of his ear after he banged his head", "serious_head_injury"),
        ("my daughter drank some chlorine from the pool shed", "possible_poisoning"),
        ("she is 3 and fit for 5 minutes then went floppy", "seizure"),
        ("I'm a nursing student and my flatmate has just collapsed and is fitting", "seizure"),
    ],
)
def test_emergencies_told_as_in_batch_thirty_one_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm 45 and fit, had a sharp pain in my heel for a week",
        "the council fitted a smoke alarm in the hall yesterday, I have a cold",
        "sunken eyes from lack of sleep, tired all the time",
        "for my nursing exam, what are the signs of a stroke?",
        "revision question: how do you spot meningitis in a baby?",
        "as a toddler I had fits with high temperatures, none since",
        "can I have a copy of my son's seizure care plan for school?",
        "I just want a routine blood test for my thyroid",
        "the pain in my back is very dull and constant",
        "chlorine in the pool makes my eyes sting",
    ],
)
def test_false_alarms_told_as_in_batch_thirty_one_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "so thirsty, peeing loads, breath smells like pear drops",
        "using eye drops and my breathing is a bit wheezy",
    ],
)
def test_drops_by_the_breath_are_no_collapse(text):
    assert "collapse" not in read(text).present


# Written by a reviewer of the two batches' changes, to find what they hid or newly alarmed on.
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("how to prevent choking my toddler is choking on a grape right now", "stated_emergency"),
        ("how to prevent a stroke my dad's face has dropped on one side", "possible_stroke"),
        ("how to prevent fits he is fitting now", "seizure"),
        (
            "tips for avoiding hypothermia my dad was out all night and is very confused",
            "stated_emergency",
        ),
        (
            "whats the advice for avoiding bleeds on warfarin my mum has just banged her head",
            "serious_head_injury",
        ),
        ("how to prevent sepsis my son has mottled skin and a temp of 39", "stated_emergency"),
        (
            "how to prevent dehydration my baby has sunken eyes no wet nappy since this morning",
            "stated_emergency",
        ),
        ("keeps being sick, last two times it was just blood", "severe_bleeding"),
        ("he is having a seizure his care plan says buccal after 5 min", "seizure"),
        ("he is 2 and fit in his sleep last night", "seizure"),
        ("my son had a fit the carbon monoxide alarm is going off", "seizure"),
        (
            "my daughter is 2 and as a toddler she cant tell me whats wrong she is blue and floppy",
            "unresponsive",
        ),
        ("im on a first aid course and someone's having a seizure in the class", "seizure"),
        (
            "i have a medical exam for work next week, symptoms of a heart attack? crushing chest"
            " pain, sweating and my left arm hurts",
            "possible_heart_attack",
        ),
        ("the baby, it is 7 weeks, has a temperature of 38.5", "infant_fever"),
        ("temp 34 and hes very drowsy after being found outside", "stated_emergency"),
    ],
)
def test_emergencies_a_review_of_batches_thirty_and_thirty_one_found_hidden_raise_a_flag(
    text, flag
):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "pt 24F abdo pain hcg neg",
        "my son swallowed some pool water with chlorine in it, eyes a bit red",
        "i have a small soft lump in my arm, not painful",
        "my 3 year old's speech isn't clear yet, should we see a speech therapist",
        "my 6 month old is teething, dribble falling out the side of her mouth and mild temp",
        "i have a cold, my chest is closed with phlegm and i feel sick",
        "heatwave, bedroom temp 27.5 at night, my toddler is drowsy and grumpy",
        "temp ok, wt 24.5 kg, sleepy after his jabs",
        "i look exhausted, sunken eyes, dark circles and feel sleepy all day, working nights",
        "we watched fireworks for hours in the cold, now he's tired and sleepy with a runny nose",
        "any tips on avoiding decompression sickness on my dive holiday",
        "my son was diving off the board and came up too fast and bumped his nose, small nosebleed",
        "fell off the trampoline, hurt her wrist, she has a cold, watery eyes, gunk from her ear",
        "he's 70 and fit for his age, a bit breathless on hills",
    ],
)
def test_false_alarms_a_review_of_batches_thirty_and_thirty_one_found_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "my grandma fell and she is not able to get up, she is 91",
            "stated_emergency",
        ),
        ("Mum slipped on the wet tiles and can't get up off the floor", "stated_emergency"),
        (
            "trekking in Nepal, my friend is coughing up pink frothy sputum",
            "severe_breathing_difficulty",
        ),
        (
            "my 6 year old's shoulders are going up and down and she's wheezing",
            "child_breathing_difficulty",
        ),
        (
            "he can't get a word out without stopping, breathing so fast",
            "severe_breathing_difficulty",
        ),
        ("got organophosphate splashed in my eyes at work, now drooling", "possible_poisoning"),
        ("my husband got soaked in sheep dip and is sweating and vomiting", "possible_poisoning"),
        ("knocked his head falling off the swing, now panda eyes", "serious_head_injury"),
        ("fell down the stairs, there's bruising behind her ear", "serious_head_injury"),
        ("born 5 weeks ago and now 38.4 and grizzly", "infant_fever"),
        ("the bairn's 7 weeks and has a temp of 38.2", "infant_fever"),
        ("my dad is shaking and foaming at the mouth on the pavement", "seizure"),
        ("her eyes went up and she went stiff, she's just lying there now", "seizure"),
        (
            "an explosion in my head while straining on the toilet",
            "thunderclap_headache",
        ),
        ("temp 39, neck is hard and she doesn't like the light", "possible_meningitis"),
        (
            "the spots on her belly still show through the glass, she's burning up",
            "possible_meningitis",
        ),
        ("ate a cashew, my tongue is twice the size", "possible_anaphylaxis"),
        (
            "my son is clutching his throat and can't breathe, he was eating a sweet",
            "stated_emergency",
        ),
        ("fell 5 metres from a roof, knocked out briefly, now sick", "serious_head_injury"),
        (
            "took an elbow to the head at basketball, now vomiting and confused",
            "serious_head_injury",
        ),
        (
            "my son can't speak one full sentence, he's wheezing so much",
            "child_breathing_difficulty",
        ),
        ("I keep thinking about stepping in front of a lorry", "suicidal_thoughts"),
        ("honestly better if i didn't wake up tomorrow", "suicidal_thoughts"),
        ("checked how many pills it would take, I've got them lined up", "suicidal_thoughts"),
        ("my little one chewed a washing capsule and is being sick", "possible_poisoning"),
        ("he found the screenwash and drank some", "possible_poisoning"),
        ("three weeks after the birth, soaking a pad every 20 minutes", "severe_bleeding"),
        ("my uncle is speaking strange and one side of his face is down", "possible_stroke"),
        ("squeezing in my chest and my left arm is tingling", "possible_heart_attack"),
        ("chip pan tipped, boiling oil went over her legs", "stated_emergency"),
        ("my son touched a live cable in the shed and got thrown back", "stated_emergency"),
        ("the runner collapsed near the finish, hot and talking nonsense", "unresponsive"),
        ("fell 12 feet off a ladder onto concrete", "stated_emergency"),
        ("passing dark blood from my bottom and I'm very dizzy", "severe_bleeding"),
        ("what do I do if my son ever has a seizure, he's jerking all over now", "seizure"),
    ],
)
def test_emergencies_batch_thirty_two_taught_raise_a_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "can I use sheep dip on the flock while I'm pregnant? asking for the lambing season",
        "pregnant with my second, 9 weeks, have a cold and a temperature of 38.1",
        "she had her nose op last week and has two black eyes, healing well",
        "tension headache after work, it didn't come on suddenly, paracetamol helps",
        "writing a novel where a character takes an overdose, what would the doctor do first?",
        "Saturday fry-up, heart attack on a plate, how bad is it for my cholesterol?",
        "doing a St John Ambulance course, how do you check if someone is unresponsive?",
        "what should we do if our daughter ever has a fit? she has never had one",
    ],
)
def test_false_alarms_batch_thirty_two_taught_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("calf pain left side and suddenly short of breath", "severe_breathing_difficulty"),
        ("my dad has chest pain right side and is grey and sweaty", "possible_heart_attack"),
        ("chest pain left side, feel sick and sweaty", "possible_heart_attack"),
        (
            "our daughter is 6 weeks, it was a hard pregnancy, she has a temp of 38.4",
            "infant_fever",
        ),
        ("baby born 3 weeks ago, pregnancy was fine, now 38.6 fever", "infant_fever"),
        (
            "writing my novel, i feel like my throat is closing up after prawns, what are the"
            " symptoms of anaphylaxis",
            "possible_anaphylaxis",
        ),
        ("we are at st john's church ambulance needed now", "stated_emergency"),
        (
            "period didnt come on time, tummy pain now and pregnancy test positive",
            "possible_ectopic_pregnancy",
        ),
        ("he was knocked out for a few seconds after heading the ball", "unresponsive"),
    ],
)
def test_emergencies_a_review_of_batch_thirty_two_found_hidden_raise_a_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("my baby was born at 34 weeks and has a temperature of 38.2", None),
        ("baby born 3 weeks early, he's 5 months now and teething", 5.0),
        ("born about 8 weeks ago and hot", 8 * 12 / 52.2),
        ("pregnant with twins, 8 weeks, and a cold", None),
        ("my wife is pregnant, she's 10 weeks, and has a fever", None),
        ("our daughter is 6 weeks, it was a hard pregnancy", 6 * 12 / 52.2),
        ("the wean is 5 weeks and roasting", 5 * 12 / 52.2),
    ],
)
def test_a_birth_or_a_pregnancy_is_no_age_and_a_baby_born_weeks_ago_is(text, months):
    assert read(text).age_in_months == (pytest.approx(months) if months else None)


@pytest.mark.parametrize(
    "text",
    [
        "she's clutching her neck saying it hurts after sleeping on it wrong",
        "my tongue looks big and white, oral thrush after antibiotics",
        "kids ate too many blueberries and his mouth is purple lol",
        "when i brush my teeth i spit out pink frothy stuff, gums bleed",
        "i can't get out without stopping for the loo every 10 minutes",
        "when he gets tired his eyes go up and he rubs them, normal?",
        "after the fall she was shaking with fright but walking fine",
        "my baby didn't flinch when she had her jabs today, proud mum",
        "bought a new washing capsule brand and now i have an itchy rash on my hands",
        "can i take paracetamol and ibuprofen every 3 hours alternating for my kids temp",
        "hot oil spat over my arm while frying chips, small red patch",
        "i have a slipped disc and can't get up from the sofa without help",
        "my nose is running so badly it's gushing, hay fever",
        "my periods are heavy, soaking a pad every 3 hours",
        "i have a light cough that keeps bothering me plus a headache and temp of 38.1",
        "my dog keeps stepping in front of me when i walk and i tripped",
        "we don't want live vaccines because of his chemo",
        "how many paracetamol it would take to help my back ache",
        "fell on my feet awkwardly at netball and was sick from the pain",
        "fell off my bike and broke my nose, got two black eyes",
        "we started to wean him 3 weeks ago and now he has a temperature of 38.5",
        "he fell about 3 feet off the sofa onto carpet, laughing now",
        "the wifi was out for 30 seconds lol, can I book online instead",
        "my period didn't come on time, test negative, no pain",
    ],
)
def test_false_alarms_a_review_of_batch_thirty_two_found_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "my boyfriend is 17, terrible pain in his left ball out of nowhere, been sick",
            "stated_emergency",
        ),
        ("sudden pain in my testicle an hour ago and I feel sick", "stated_emergency"),
        ("my mum is having chemotherapy and her temperature is 38.2", "stated_emergency"),
        ("on immunotherapy, feel hot, temp 38.5", "stated_emergency"),
        (
            "her sugar was 2.4 and she's very drowsy, can't get her to drink the juice",
            "stated_emergency",
        ),
        ("bm 2.8 and he's confused, not making sense", "stated_emergency"),
        ("blood glucose of 1.9, she's unconscious", "stated_emergency"),
        (
            "my son poured a kettle of boiling water over himself, it covers a big area",
            "stated_emergency",
        ),
        ("scalded my hand with tea, the burn is bigger than my hand", "stated_emergency"),
        (
            "36 weeks pregnant, the baby hasn't moved today and I have tummy pain",
            "stated_emergency",
        ),
        (
            "no urine since yesterday and dizzy when I stand, diarrhoea for 3 days",
            "stated_emergency",
        ),
        ("I cut the tip of my finger off with a bread knife", "stated_emergency"),
        ("took 30 of my sleeping tablets an hour or so ago, deliberately", "suicidal_thoughts"),
        (
            "swallowed a whole packet of co-codamol at lunchtime, it was on purpose",
            "suicidal_thoughts",
        ),
        ("6 weeks pregnant with a sharp pain on my left side", "possible_ectopic_pregnancy"),
        (
            "period is late and there's aching on my right side, feel faint",
            "possible_ectopic_pregnancy",
        ),
        (
            "my menses did not come and now there is pain low in my belly",
            "possible_ectopic_pregnancy",
        ),
        ("blood from back passage, a lot, feeling faint", "severe_bleeding"),
        ("the fistula in my arm is bleeding and squirting", "severe_bleeding"),
        (
            "baby fell off the bed onto carpet and has been sleepy and sick since",
            "serious_head_injury",
        ),
        ("toddler fell off the counter and hit his head, now vomiting", "serious_head_injury"),
        ("fell skiing, hit my head on a tree, can't remember the run", "serious_head_injury"),
        ("can't feel my left side and it came on suddenly", "possible_stroke"),
        ("my dad's mouth is not working right, just now", "possible_stroke"),
        ("every breath is a fight and my lips feel tingly", "severe_breathing_difficulty"),
        ("my son's fighting to breathe", "child_breathing_difficulty"),
        ("played rugby and then bang, massive headache, vomiting", "thunderclap_headache"),
        ("grandad holding his chest and gone grey", "possible_heart_attack"),
        ("my heart hurts and I feel sick and sweaty", "possible_heart_attack"),
        ("chest feels like someone is sitting on it and I'm clammy", "possible_heart_attack"),
        ("a terrible headache, stiff neck and now he's confused", "possible_meningitis"),
        ("stiff neck, the light hurts her eyes and there's a rash", "possible_meningitis"),
        ("my 2 year old has eaten some of my blood pressure tablets", "possible_poisoning"),
    ],
)
def test_emergencies_like_batch_thirty_threes_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "testicle ache on and off for months, no vomiting",
        "finished chemo 5 years ago, now I have a fever of 38 with a cold",
        "had a hypo this morning, sugar 3.1, sorted with jelly babies, feel fine now",
        "I have 3 sugars in my coffee and I'm so tired and confused",
        "her sugar levels are 30, confused about her insulin dose",
        "I burnt my finger on the oven, small blister",
        "sunburn on a large area of my back, sore",
        "pregnant 28 weeks, baby moving less than usual today, no pain",
        "my toddler deliberately threw my pills down the toilet",
        "6 weeks pregnant, calf pain on the left side and swollen",
        "chest pain on the right side when I breathe in, 6 weeks pregnant",
        "missed my period, no pain on the right side, just tired",
        "I had an ectopic before, now pregnant, no pain at all, no bleeding",
        "no menses for 3 months, not pregnant, tired",
        "blood from my back passage when I wipe, small amount",
        "my son fell out of bed, cried straight away, fine now",
        "the door went bang and I got a headache from the noise",
        "I heard a bang and then got a headache",
        "went to the gym and bang my head on the bar, headache",
        "my wound is squirting out pus",
        "sliced off a bit of skin from my knuckle, small cut",
        "I've eaten my breakfast and taken my tablets, now feel sick",
        "the heart hurts when she left me, so sad",
        "went skiing, can't remember the run's name, knee sore",
    ],
)
def test_near_misses_of_batch_thirty_threes_emergencies_raise_no_flag(text):
    assert flags_for(text) == set()


def test_an_overdose_denied_as_on_purpose_is_a_poisoning_only():
    assert flags_for("took too many of my tablets by accident, not on purpose") == {
        "possible_poisoning"
    }


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Help, my baby is not moving", "unresponsive"),
        ("found him on the floor with no response or movement", "unresponsive"),
        ("There's so much blood from my back passage", "severe_bleeding"),
        ("Blood is pouring from my back passage", "severe_bleeding"),
        ("She can't remember the car crash, keeps asking what happened", "stated_emergency"),
        ("the pain is across most of his chest and he's sweating", "possible_heart_attack"),
        ("most of her arm is numb and heavy", "possible_stroke"),
        ("climbed onto his highchair and fell out of the window", "stated_emergency"),
        ("Heart broken and hurting myself again", "suicidal_thoughts"),
        ("My 6 week old runs hot today", "infant_fever"),
        ("I can't feel a pulse on his left side", "unresponsive"),
        ("bleeding from the side of his head after he fell, now drowsy", "serious_head_injury"),
        ("34 weeks, the baby hasn't moved all day and I have bad tummy pain", "stated_emergency"),
    ],
)
def test_emergencies_a_review_of_batch_thirty_three_found_hidden_raise_a_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "My 2 month old baby hasn't moved her bowels in 3 days and has tummy ache",
        "No bowel movements for 5 days and tummy pain",
        "Baby not kicking his legs as much since his jabs, bit of tummy ache",
        "I check my sugars at 2 am and I'm drowsy all day",
        "I check my sugar 2 or 3 times a day and get sleepy after meals",
        "Since the new tablet, BMs 2 a day and I'm really sleepy",
        "My sugar was 3.9 this morning, had a jelly baby, just a bit sleepy now",
        "Small burn on my finger from the kettle, and sunburn on my whole back",
        "32 weeks pregnant with sciatica, shooting pain down the left side of my bum and leg",
        "Pregnant, pain on my left side of my neck from sleeping funny",
        "Pregnant with a toothache, pain on the right side of my jaw",
        "The neighbours are drilling and then bang bang bang, now I have a headache",
        "GP found no urine infection but I've been dizzy all day",
        "Took the skin off my fingertip on the grater",
    ],
)
def test_false_alarms_a_review_of_batch_thirty_three_found_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "heart and tummy hurts, I'm 7 weeks pregnant and feel faint",
            "possible_ectopic_pregnancy",
        ),
        (
            "period late, sharp pain on my left side of my body going to my leg",
            "possible_ectopic_pregnancy",
        ),
        (
            "7 weeks pregnant, stabbing pain on the left side of my hip down to my knee",
            "possible_ectopic_pregnancy",
        ),
        (
            "34 weeks, baby hasn't moved since I opened my bowels, and tummy pain",
            "stated_emergency",
        ),
        ("sugar is 1.9 mmol and she's confused", "stated_emergency"),
    ],
)
def test_emergencies_a_second_review_of_batch_thirty_three_found_hidden_raise_a_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "12 weeks pregnant, pain on the left side of my breast",
        "mucus from my back passage and I feel a bit dizzy",
        "diarrhoea squirting out and a bit of bleeding from my piles",
        "the iron tablets make me sick after I've eaten",
        "I cut my finger and had to clean off the blood",
        "I'm on a low sugar diet and feel sleepy all afternoon",
        "glucose 1.5 hours after dinner was 8.2, feeling drowsy tonight",
        "my glucose is 1.2 g/L and I'm drowsy from my antihistamine",
        "the mouth ulcer gel is not working",
        "the baby's movements are really strong today and I have some stomach cramps",
        "I have a lump on my testicle, no pain, and feel sick with worry",
        "no urine leaks since yesterday thanks to pelvic floor exercises, a bit dizzy",
    ],
)
def test_false_alarms_a_second_review_of_batch_thirty_three_found_raise_no_flag(text):
    assert flags_for(text) == set()


def test_an_accident_told_as_not_on_purpose_is_no_attempt_on_a_life():
    assert flags_for("my toddler swallowed one of my pills, he didn't do it on purpose") == {
        "possible_poisoning"
    }


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("spots not fading under the glass, temperature 39", "possible_meningitis"),
        ("the marks on his legs don't blanch and he has a high fever", "possible_meningitis"),
        (
            "fever since lunch and now she has a stiff neck since this morning",
            "possible_meningitis",
        ),
        (
            "baby 5 months, the soft spot on top of his head is bulging, very hot",
            "possible_meningitis",
        ),
        ("grandpa's mouth went crooked at dinner", "possible_stroke"),
        ("her arm has gone limp and she's muddled", "possible_stroke"),
        ("crushing feeling behind my breastbone and I'm clammy", "possible_heart_attack"),
        ("indigestion going up into his jaw and he's breathless", "possible_heart_attack"),
        ("we pulled a girl out of the river, she's shivering and sleepy", "stated_emergency"),
        ("my friend is slurring, temperature 33.8 after a night on the hill", "stated_emergency"),
        ("my 3 week old is 38 point 4 and feeding badly", "infant_fever"),
        (
            "the restaurant extractor fan has been broken for days, all of us have headaches",
            "possible_poisoning",
        ),
        ("toddler drank some vape juice, now vomiting", "possible_poisoning"),
        (
            "I've soaked a pad every 15 min for an hour with clots the size of my palm",
            "severe_bleeding",
        ),
        (
            "my period was due 2 weeks ago, now sharp pain low on one side and dizzy",
            "possible_ectopic_pregnancy",
        ),
        ("he bumped his head and doesn't recall the fall", "serious_head_injury"),
    ],
)
def test_emergencies_like_batch_thirty_fours_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "bit my tongue eating toast, it bled for a moment",
        "my eyelid twitches on one side, very annoying",
        "period due in 2 days, tummy ache and bloating as usual",
        "fingers go white and then blue when cold, then back to normal",
        "can I get a letter to say I'm fit to fly after my knee surgery",
        "a stroke of luck, the sore throat has gone",
        "peanut allergy, no reactions in years, need a new EpiPen",
        "my sats are 97 and I have a mild cough",
        "temperature 36.8 and a runny nose",
    ],
)
def test_near_misses_of_batch_thirty_fours_emergencies_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("took all my tablets about an hour ago on purpose", "suicidal_thoughts"),
        ("the head is crowning and we're still at home", "stated_emergency"),
        (
            "we had a leaflet about angina, crushing chest pain down my arm and sweating",
            "possible_heart_attack",
        ),
        (
            "after my driving lesson on the motorway, crushing chest pain and sweating",
            "possible_heart_attack",
        ),
        ("my daughter's lips went white and then blue in the bath", "severe_breathing_difficulty"),
        ("help i think im dying lol my chest is crushing", "stated_emergency"),
        ("Dad collapsed while laughing at the telly and now he's grey", "unresponsive"),
        ("temperature on our thermometer 34.1, he's confused and shivering", "stated_emergency"),
    ],
)
def test_emergencies_a_review_of_batch_thirty_four_found_hidden_raise_a_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I sat on the sofa for 90 minutes and my back aches",
        "is bath water at a temperature of 34.5 too cold for my baby?",
        "my tummy keeps making gurgling noises after eating",
        "my baby's head is coming out in cradle cap",
        "moving house, giving loads of stuff away and saying goodbye to everyone",
        "I took all my medication this morning as normal, can I have a coffee?",
        "does vape juice cause a sore throat?",
        "my chest is burning after a spicy curry and I feel a bit sick",
        "heat rash not fading after 3 days, itchy",
        "my teeth are crooked in my mouth, can I get braces?",
        "can't lift my left leg without pain after twisting my knee",
        "baby is 5 weeks old, born at 38 point 4 weeks, feeding well",
        "my period was due a week ago, it finally came today with bad cramps",
        "my newborn hasn't woken up in between feeds, is that normal?",
        "the GP said don't stop my blood pressure tablets, can I have more?",
        "we pulled a shopping trolley out of the canal and I scratched my arm",
        "had a migraine and then another one straight after the first",
    ],
)
def test_false_alarms_a_review_of_batch_thirty_four_found_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("he's 3, had a cold and now his lips look blue", 36.0),
        ("she's 2 and a half and wheezing", 24.0),
        ("she's 40, chest pain", 480.0),
        ("he's 5 foot 2 and wheezy", None),
        ("he's 6/10 for pain", None),
        ("she's 38 weeks pregnant and has a headache", None),
    ],
)
def test_a_bare_number_after_hes_or_shes_is_an_age_in_years(text, months):
    assert read(text).age_in_months == months


def test_a_toddler_told_by_a_bare_age_raises_the_childs_breathing_flag():
    assert "child_breathing_difficulty" in flags_for("he's 3, lips gone bluish, whistly breathing")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "my partner says he's going to jump off the balcony, he's out there now",
            "suicidal_thoughts",
        ),
        ("she threatened to jump from the roof of the car park", "suicidal_thoughts"),
        ("he keeps saying he'll jump out of the window", "suicidal_thoughts"),
        ("I keep thinking about jumping in front of a train", "suicidal_thoughts"),
        ("honestly i just want to sleep and not wake up", "suicidal_thoughts"),
        ("some nights I want to go to sleep and not wake up", "suicidal_thoughts"),
        ("I've been stockpiling my pills for a few weeks now", "suicidal_thoughts"),
        ("i've saved up my tablets for when i'm ready", "suicidal_thoughts"),
        ("my brother says he will jump from the 10th floor balcony", "suicidal_thoughts"),
        ("I might jump off the multistorey tonight", "suicidal_thoughts"),
        ("my son is on the roof of the flats threatening to jump", "suicidal_thoughts"),
        ("he wants to throw himself off the bridge", "suicidal_thoughts"),
        ("contractions every minute and I can feel the baby's head coming out", "stated_emergency"),
        ("I think I can feel the head coming, what do I do", "stated_emergency"),
        (
            "we lit a barbecue indoors because of the storm and now we all have headaches",
            "possible_poisoning",
        ),
        ("my mum's choking on a boiled sweet and can't get a word out", "stated_emergency"),
        ("got struck on the head by a branch, now I keep being sick", "serious_head_injury"),
        (
            "walked straight into a beam in the loft and now I'm seeing double",
            "serious_head_injury",
        ),
        ("so short of breath I can't get a sentence out", "severe_breathing_difficulty"),
        ("my wife is choking for breath and going grey", "severe_breathing_difficulty"),
        ("perspiring heavily with a crushing chest pain", "possible_heart_attack"),
        ("the chest pain travels into my left arm", "possible_heart_attack"),
        ("awful pressing feeling in my chest and I feel sick", "possible_heart_attack"),
        ("I'm enceinte, 7 weeks, pain low on the left and bleeding", "possible_ectopic_pregnancy"),
        ("+ve HPT last week, now sharp pain on one side and dizzy", "possible_ectopic_pregnancy"),
        ("his smile only works on one side since lunchtime", "possible_stroke"),
        (
            "did the glass test and the spots didn't disappear, she's got a temp of 39",
            "possible_meningitis",
        ),
        (
            "my 4 month old's head is raised like a dome on top and she's burning up at 39.1",
            "possible_meningitis",
        ),
        ("baby 6/52, temperature 38.3, sleepy", "infant_fever"),
        ("peak flow 150, my best is 500, inhaler not doing much", "severe_breathing_difficulty"),
        ("peak flow only 35% this morning and I'm really tight", "severe_breathing_difficulty"),
        ("I can not breathe and my lips are blue", "severe_breathing_difficulty"),
        ("Asthma. 3 lots of ventolin no help. Lips tingling.", "severe_breathing_difficulty"),
        ("peak flow 200 this morning, normally 550", "severe_breathing_difficulty"),
        ("peak flow 180 (should be 500) and I'm really wheezy", "severe_breathing_difficulty"),
        ("our baby is unwell, 4 weeks, temp 38.2", "infant_fever"),
        (
            "the soft spot on top of her head is puffy and she has a temp of 38.4",
            "possible_meningitis",
        ),
        (
            "we brought the disposable bbq into the tent, now we're all dizzy with headaches",
            "possible_poisoning",
        ),
        (
            "cooked on the bbq in the garage with the door shut, now headache and vomiting",
            "possible_poisoning",
        ),
        (
            "my little sister is 4 and she's breathing really fast and wheezy",
            "child_breathing_difficulty",
        ),
        ("infant 9 months with a cold, too puffed to feed", "child_breathing_difficulty"),
        ("my baby's ribs go in with every breath", "child_breathing_difficulty"),
        ("lips and eyelids puffing up after a new antibiotic, feel faint", "possible_anaphylaxis"),
    ],
)
def test_emergencies_told_in_batch_thirty_fives_ways_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "we jumped off the roof of the shed as kids, my knee still clicks",
        "my son loves jumping off the balcony steps into the pool",
        "we had a bbq outside the tent and the smoke gave me a sore throat",
        "my dad choked on his tablets last year and now they're liquid",
        "my son choked a bit on his water but he's fine now",
        "this cough is choking me, but I can breathe fine",
        "I was struck on the head by a ball at cricket last month, no problems since",
        "I can feel the head of the screw under my skin where they fixed my wrist",
        "the pain travels into my left arm when I type all day, it's my wrist",
        "I keep pressing on my chest where the bruise is and it's sore",
        "my son's head has a swollen lump on the top from bumping the table, he's 2, temp 38",
        "my daughter's ankle is puffed up after football",
        "my 9 year old gets a bit puffed running at football, same as his friends",
        "peak flow 400, best 450, feeling good",
        "my peak flow is 80% of my best",
        "my inhaler four times a day instead of once a week since my cold, peak flow 75%",
        "Night shift paramedic, heartburn after meals for 2 months",
        "I'm a paramedic, can I have my hepatitis B booster?",
        "covid test positive, small fever and cough, body is tired, 2 days",
        "mum is choking back tears, the funeral is tomorrow",
        "my son's choking episodes have stopped since he had his tonsils out",
        "that toy is a choking hazard, can you tell the nursery?",
        "cough for 2/52, temperature 38.2",
        "I'm 10/52 with a temp of 38.5",
        "we had bbq chicken inside a wrap and now I have a headache and feel sick",
        "-ve HPT, pain low on one side and a bit of spotting",
        "peak flow is 30% higher since the new inhaler",
        "peak flow at 10am 520, best 600",
        "my 2 year old can't get a sentence out yet, speech delay?",
        "my stammer is so bad I can't get a sentence out",
        "his smile only works on grandma",
        "breech, I can feel the baby's head under my ribs",
        "36 weeks and I can feel the baby coming down lower",
        "I can feel the head cold coming on, feel rough",
        "I take folic acid daily and methotrexate weekly, can I have a repeat?",
        "my life has no sense of routine since the night shifts",
        "chickenpox spots raised on the top of her head, temp 38.2",
        "raised lump on top of her head from a nit comb, temp 38",
        "we'll jump off the train at Leeds and pop into the surgery",
        "planning to jump off the cliff at the coasteering day, is my knee ok for it?",
        "he's not going to jump off the bridge, he promised, he's in bed now",
    ],
)
def test_false_alarms_near_batch_thirty_fives_emergencies_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("my little brother is 6 and wheezing", 72.0),
        ("my son is 16 and has a cold", 192.0),
        ("my daughter is 5 foot tall", None),
        ("baby boy 9/52, feeding well", 9 * 12 / 52.2),
        ("12/52 pregnant with a cold", None),
        ("body is tired, 2 days", None),
        ("baby girl, 2 months, a temperature", 2.0),
    ],
)
def test_ages_told_of_a_relative_or_in_weeks_notation_are_read(text, months):
    assert read(text).age_in_months == pytest.approx(months)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("my diabetic dad is sweaty and muddled, his meter says 2.2", "stated_emergency"),
        (
            "sprayed the orchard without a mask, now pinpoint pupils and sweating buckets",
            "possible_poisoning",
        ),
        ("he's drowsy and his pupils are like pinpricks, he uses heroin", "possible_poisoning"),
        ("found him freezing cold in his flat, speaking nonsense", "stated_emergency"),
        ("working on the roof in the heat, now talking rubbish and staggering", "stated_emergency"),
        ("stung by a wasp, face in blotches and my head is swimming", "possible_anaphylaxis"),
        ("on warfarin, tripped and there's a bruise on my forehead", "serious_head_injury"),
        ("my 5 day old is 38 on the thermometer", "infant_fever"),
        ("baby is 2 weeks old and he's very hot to touch", "infant_fever"),
        ("me old dad's boat race has gone droopy on one side", "possible_stroke"),
        (
            "her mince pies and lips are swelling after the prawns and she's wheezing",
            "possible_anaphylaxis",
        ),
        ("my brother collapsed and started shaking in the kitchen", "seizure"),
        ("COPD, nebuliser not touching it, can't speak", "severe_breathing_difficulty"),
        ("fever, stiff neck and the lights are too bright for her", "possible_meningitis"),
        ("spots that didn't go when I pressed the glass on them, he's hot", "possible_meningitis"),
        ("got a nasty shock off the mains at work and my chest feels odd", "stated_emergency"),
        ("positive test, pain rhs and bleeding, dizzy", "possible_ectopic_pregnancy"),
        (
            "7 weeks pregnant, pain in the tip of my shoulder and I feel faint",
            "possible_ectopic_pregnancy",
        ),
        ("hot oil splashed over his chest and both arms, blistering", "stated_emergency"),
        (
            "heavy squeezing feeling in the middle of my chest, clammy and sick",
            "possible_heart_attack",
        ),
        ("my husband drank anti freeze from a drinks bottle", "possible_poisoning"),
        ("my little one ate some of my tablets from the bedside table", "possible_poisoning"),
        (
            "my son is 4 and makes a rough noise when he breathes in, drooling",
            "child_breathing_difficulty",
        ),
        (
            "baby of 10 months, fever, the soft bit on top of her head is bulging",
            "possible_meningitis",
        ),
        ("I keep thinking it would be easier if I just wasn't around anymore", "suicidal_thoughts"),
        ("purple spots that don't disappear when I press the cup on them", "possible_meningitis"),
        ("he's been hot to the touch all evening, he's 5 weeks old", "infant_fever"),
        ("my 5 week old is 38 on the ear thermometer", "infant_fever"),
        ("had a fever of 39 yesterday, temp is 37.2 today, 7 weeks old", "infant_fever"),
        ("nebuliser isn't touching it and I can barely speak", "severe_breathing_difficulty"),
        ("his meter read 2.1 and he's drowsy, type 1", "stated_emergency"),
        ("scalded over her chest and both arms by the kettle", "stated_emergency"),
    ],
)
def test_emergencies_told_in_batch_thirty_sixs_ways_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "the optician said my pupils were pinpoint after the drops",
        "my pupils look like pinpricks in photos with the flash, is that normal?",
        "gas meter says 1.2 and I'm confused how to read it",
        "he was talking rubbish about football all night lol, anyway can I book a smear?",
        "my head is swimming with all the forms I have to fill in, can you help with a fit note?",
        "I have a bruise on my forehead from walking into a cupboard, fine otherwise",
        "my confidence took a knock after the divorce, I'd like counselling",
        "my nebuliser is not working, can I get a new one? breathing is fine",
        "he's only talking in single words at 2, speech delay?",
        "the lights are too bright in the waiting room, can you dim them?",
        "purple marks on my legs from the compression stockings",
        "I get little pinprick dots on my face after vomiting, is that normal?",
        "I'm a week late with my repeat prescription order, sorry",
        "pain rhs of my knee when running",
        "the whole back of my hand is itchy",
        "a burning feeling over my whole back since shingles",
        "I have a burning pain in both legs at night, diabetic",
        "I'm preg and want to book my booking appointment",
        "it would be easier if I wasn't around when the builders come, can I come later?",
        "my chest and jaw ache after the dentist",
        "the flat has no heating and it's cold, my mum has dementia and gets confused",
        "I got some anti freeze on my hands topping up the car",
        "I'm on warfarin and my knee took a knock on the coffee table",
        "my glaucoma drops make my pupils pinpoint and I feel a bit sick",
        "my pupils look like pinpricks in bright sunshine and I have diarrhoea from antibiotics",
        "one of my pupils has tiny dots of rash and I've got vomiting",
        "I have a cold with a temperature and the screen light is too bright on my phone",
        "my phone screen has dots in purple after dropping it, and I have a cold",
        "I stood on glass and the redness doesn't go down, feverish",
        "how do I rate my headache on a scale of 0 to 10 in the app?",
        "I'm 2 weeks late with my blood test and have some cramping tummy pain from IBS",
        "tummy pain same as prev, IBS flare",
        "I'm 30 weeks pregnant and have a mole on the tip of my shoulder",
        "fluttery feeling in the middle of my chest when anxious, and feel a bit sick",
        "my baby makes a snuffly noise when he breathes in, blocked nose",
        "it'd be easier if I just wasn't around for the delivery, can you post it?",
        "we found mum's flat very cold, she's a bit muddled about her heating bills",
        "my hands are shaking and there's foam on my mouth from the toothpaste",
        "my ketone meter shows 0.4 and I'm a bit sleepy, type 1",
        "the prepayment meter shows 1.5 left and I'm drowsy",
        "my baby is hot to touch but thermometer says 37.2, 7 weeks old",
        "Newborn feels a bit warm but the thermometer says 36.9",
        "it's 38 on the thermometer in our conservatory, how do I keep my 5 week old cool?",
        "the nebuliser machine is not working, the plug is broken, can you send a new one?",
        "my son's nebuliser is not working properly, the mask is cracked, can we get a new one",
    ],
)
def test_false_alarms_near_batch_thirty_sixs_emergencies_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "sat in the car in the garage, thinking about leaving the engine running",
            "suicidal_thoughts",
        ),
        ("some days I wish I just wouldn't wake up", "suicidal_thoughts"),
        ("I wish I wouldn't wake up at all", "suicidal_thoughts"),
        ("honestly everyone would be better if I didn't exist", "suicidal_thoughts"),
        ("would anyone even notice I'm gone?", "suicidal_thoughts"),
        ("I walk over the bridge every day thinking about jumping", "suicidal_thoughts"),
        ("since my brother took his own life I want to do the same", "suicidal_thoughts"),
        ("my sister just took her own life, I can't cope", "suicidal_thoughts"),
        ("chess pain and sweating, left arm heavy", "possible_heart_attack"),
        ("my chest feels like it's in a vice and I'm clammy", "possible_heart_attack"),
        ("heavy chest, pain going into my left arm, sweaty", "possible_heart_attack"),
        ("tight chest and I keep retching", "possible_heart_attack"),
        ("my sight went like a blind coming down over one eye", "possible_stroke"),
        ("can't get my breath, inhaler's done nothing", "severe_breathing_difficulty"),
        ("my inhaler is not doing anything and I'm wheezing", "severe_breathing_difficulty"),
        ("the inhaler isn't lasting even an hour, wheezy", "severe_breathing_difficulty"),
        ("she is bleeding very much since the birth", "severe_bleeding"),
        ("it's still pouring through the towels after 20 minutes", "severe_bleeding"),
        ("nosebleed for over an hour now and I'm on apixaban", "severe_bleeding"),
        ("his leg is cut, blood coming very fast", "severe_bleeding"),
        ("my toddler chewed some yew from the hedge and is being sick", "possible_poisoning"),
        ("I've taken paracetamol every couple of hours since Monday", "possible_poisoning"),
        ("he shake very strong and then he sleep", "seizure"),
        ("found grandad in his freezing house, confused and slurring", "stated_emergency"),
        ("he fell off the ladder from the roof and can't move", "stated_emergency"),
    ],
)
def test_emergencies_told_in_batch_thirty_sevens_ways_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "My uncle took his own life ten years ago, I'd like to talk about grief",
        "Can I have a fit to travel letter? I'm 31 weeks pregnant",
        "Is my son fit to play football after his cold?",
        "I need a form saying I'm fit to lead the school trip",
        "paramedic student here, what's the FAST test again?",
        "I volunteer for a suicide prevention charity, can I get a flu jab?",
        "I wish I wouldn't wake up at 4am every night, help with sleep please",
        "I wish I wouldn't wake up with a stiff back every morning",
        "my periods are bleeding very much less since the coil",
        "my repeat inhaler is still not at the pharmacy, third time of asking",
        "I've done nothing different with my inhaler, just need a new one",
        "Can I alternate ibuprofen and paracetamol every couple of hours for a fever?",
        "Had a nosebleed for an hour yesterday, it stopped, fine now",
        "are the berries on our yew hedge safe for the dog?",
        "after chess club my back pain flares up",
        "the roller blind came down on my hand, small bruise",
        "my face looks wrong on one side since the dentist numbed it",
        "my hands shake after very strong coffee",
        "can I book the 8am slot so nobody at work will notice I'm gone?",
        "I was thinking about whether the engine running gives me headaches",
    ],
)
def test_false_alarms_near_batch_thirty_sevens_emergencies_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "since the op the dressing is saturated within minutes and I feel faint",
            "severe_bleeding",
        ),
        ("the baby has just been born on the kitchen floor, what do we do", "stated_emergency"),
        (
            "flew back from Bali yesterday, suddenly short of breath and it hurts to breathe in",
            "severe_breathing_difficulty",
        ),
        (
            "hip replaced a week ago, now suddenly breathless and coughing up blood",
            "severe_breathing_difficulty",
        ),
        ("type 1, ketones 3.6 and I can't stop being sick", "stated_emergency"),
        ("sugars 27 all day and blood ketones 4.1, vomiting", "stated_emergency"),
        ("Mi likkle pickney cyaan ketch him breath", "child_breathing_difficulty"),
        ("mi cyaan breathe and mi pump nah work", "severe_breathing_difficulty"),
        ("the pickney have fever and purple spots that nah fade", "possible_meningitis"),
        ("he hit his noggin on the kerb and keeps throwing up", "serious_head_injury"),
        ("struck her head on the table and now she's very drowsy", "serious_head_injury"),
        ("since she died I have no reason to go on.", "suicidal_thoughts"),
        ("there's no reason to go on anymore", "suicidal_thoughts"),
        ("van hit a lamppost, driver trapped and not answering", "stated_emergency"),
        (
            "her eyes and lips are swelling after the injection and breathing is tough",
            "possible_anaphylaxis",
        ),
        ("our girl's only 5 weeks and she feels hot, 38.4", "infant_fever"),
        ("my boy's 10 days old and has a temp of 38.1", "infant_fever"),
    ],
)
def test_emergencies_told_in_batch_thirty_eights_ways_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "on a keto diet, ketones 3.4 this morning, I'm type 1 and sugars are fine",
        "type 1, my sick day plan says go to A&E if ketones are over 3, mine are 0.4",
        "type 1, had ketones 3.4 last year when I was diagnosed, all fine now",
        "diabetic, urine ketones 3+ on the strip but I feel fine",
        "I see no reason to go on the statins if my cholesterol is fine",
        "the physio says there's no reason to go on crutches any more",
        "our minibus driver trapped his finger in the door, swollen but fine",
        "the driver is trapped in traffic so I'll be late",
        "My arm went numb after I fell asleep on it, back to normal now",
        "my boy's 6 weeks into his antibiotics and has a temp of 38.1, he's 8",
        "my girl's had a cough for 3 days, temp 38.5, she's 4",
        "our grandson has just been born on Christmas Day, how do we register him?",
        "my eldest was born on the bathroom floor, I'd like a home birth plan this time",
        "flew back from Spain last week with a cold and a cough",
        "my leg ulcer dressing is saturated with fluid, can the nurse change it?",
        "struck my head on the cupboard door yesterday, small bump, fine now",
    ],
)
def test_false_alarms_near_batch_thirty_eights_emergencies_raise_no_flag(text):
    assert flags_for(text) == set()


def test_a_sugar_told_as_bloods_with_confusion_is_a_severe_hypo():
    assert "stated_emergency" in flags_for("bloods 2.4, sweaty and confused, type 1")
    assert flags_for("bloods came back 2.4 for my ferritin, tired") == set()


def test_numbness_when_wiping_is_saddle_numbness_but_a_lump_not_felt_is_not():
    assert (
        "saddle_numbness" in read("sciatica both legs, when I wipe I can't really feel it").present
    )
    assert "saddle_numbness" not in read("piles, when I wipe I can't feel any lump").present


@pytest.mark.parametrize(
    "text",
    [
        "he keeps fitting when he tries to go to sleep",
        "she had a fit then wanted to work",
        "he is fitting and trying to drive",
        "he's having a fit to go with the fever",
    ],
)
def test_a_fit_told_near_words_of_a_fitness_letter_is_still_a_seizure(text):
    assert "seizure" in flags_for(text)


@pytest.mark.parametrize(
    "text",
    ["I need a fit for work note", "am I fit to fly at 30 weeks?", "is she fit to exercise yet?"],
)
def test_a_fitness_letter_is_no_seizure(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("grandad is on warfarin, bumped into the door and hit his forehead, now being sick",
         "serious_head_injury"),
        ("my daughter took a knock at hockey and can't remember the game", "serious_head_injury"),
        ("baby choking on a grape, back blows haven't worked", "stated_emergency"),
        ("came home and found empty packets of her sleeping tablets, she won't wake properly",
         "possible_poisoning"),
        ("my 4 year old swallowed & drank some domestos", "possible_poisoning"),
        ("I've been checking how high the bridge is on the bypass", "suicidal_thoughts"),
        ("everyone would carry on fine without me, I've written letters", "suicidal_thoughts"),
        ("how many of my sleeping pills would it take to die", "suicidal_thoughts"),
        ("text from my sister just now: sorry for everything, love you all", "suicidal_thoughts"),
        ("dad can't smile on one side and his words are slurred", "possible_stroke"),
        ("my husband speech not clear since dinner", "possible_stroke"),
        ("feels like someone kneeling on my chest, sweaty and sick", "possible_heart_attack"),
        ("my son's dexcom shows LO, he's type 1 and very drowsy", "stated_emergency"),
        ("38.9, neck agony and light hurts her eyes", "possible_meningitis"),
        ("fever and spots on his legs that stay when I press a glass on them",
         "possible_meningitis"),
        ("back from a 12 hour flight, breathless and sharp pain when I breathe in",
         "severe_breathing_difficulty"),
        ("had my gallbladder operation last week, now short of breath and coughing up blood",
         "severe_breathing_difficulty"),
        ("our car crashed into a tree, my wife's neck hurts and she can't feel her legs",
         "stated_emergency"),
        ("fell off the trampoline onto his back, back pain and can't feel his legs",
         "stated_emergency"),
        ("waiting for 112 to come, my mum has collapsed", "stated_emergency"),
        ("me tired life, want to go", "suicidal_thoughts"),
        ("He gasped and clutched his chest", "possible_heart_attack"),
        ("The dog walker found a man collapsed by the canal", "unresponsive"),
        ("lol I'm going to die, I took all my tablets", "stated_emergency"),
        ("huge burn on her arm from the chip pan", "stated_emergency"),
        ("34 weeks pregnant, bad headache, blood pressure machine says 172/104",
         "stated_emergency"),
        ("pregnant with twins, BP 150/115 at home and seeing flashing lights", "stated_emergency"),
    ],
)  # fmt: skip
def test_emergencies_told_in_batch_thirty_nines_ways_raise_their_flag(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "our dog has been sick all night and the vet is closed, any ideas?",
        "My puppy had a seizure this morning and he's fine now. Is it worth a vet visit?",
        "our cat got into a fight and his ear is bleeding loads",
        "my daughter said omg I'm gonna die when she saw the spider",
        "took a knock to the knee at football, bit swollen",
        "my heart rate was 112 on the treadmill, is that too high?",
        "light-headed for a moment when I stood up, fine after",
        "felt light headed in the hot shower for a few seconds",
        "I have to take a pile of pills every morning, can they go in a dosette box?",
        "doubled over laughing at the panto and now my ribs ache",
        "BP 165/95 at the pharmacy, not pregnant, no headache, should I book in?",
        "I was reading LO a story when she started to hiccup",
        "5 week old baby, 36.8 on the thermometer, feeding well, is that normal?",
        "got off the plane from Spain with a cold and a sore throat",
        "the room is tilting a bit after two glasses of wine",
        "how high is the bridge on the ring road, I drive a lorry",
        "the lads will have to carry on without me at five-a-side, I've done my ankle",
        "I've been tired all my life, could it be my thyroid?",
        "I've got nothing left on my prescription, can I order more tablets?",
        "sorry for everything yesterday, love you, see you tonight",
        "took me an hour to climb a flight of stairs with the shopping, just unfit",
        "I'm booked on a 9 hour flight next month, can I take my inhaler on board?",
        "22 weeks pregnant and doubled over with cramp in my calf last night",
        "pregnant and on co-amoxiclav 500/125 for a water infection",
        "pregnant again, in my last pregnancy my bp was 170/110 but now it's 118/76",
        "the spots don't stay when I press a glass on them",
        "took a knock in training on my ribs, bruised",
        "my son crashed into a tree on his scooter and grazed his knee",
    ],
)
def test_false_alarms_near_batch_thirty_nines_emergencies_raise_no_flag(text):
    assert flags_for(text) == set()


def test_a_sentence_about_a_pet_is_not_read_but_a_person_hurt_by_one_is():
    assert read("Our dog was hit by a car and is bleeding badly.").present == []
    assert "severe_bleeding" in flags_for("Our dog bit my son's face and it won't stop bleeding")
    assert "serious_head_injury" in flags_for(
        "The dog knocked my nan over, she hit her head and now she's confused"
    )


def test_a_normal_temperature_on_the_thermometer_denies_a_fever():
    assert "fever" in read("2 week old, 36.9 on the thermometer").negated
    assert "fever" in read("2 week old, 38.4 on the thermometer").present


def test_a_knock_at_sport_is_to_the_head_unless_another_part_is_named():
    assert "head_injury" in read("son took a knock at rugby, bit dazed").present
    assert "head_injury" not in read("took a knock to the knee at football").present


def test_nothing_left_with_pills_at_hand_is_suicidal_but_an_empty_pill_box_is_not():
    assert "suicidal_thoughts" in flags_for(
        "my brother told me he has nothing left, then sent a photo of a heap of tablets"
    )
    assert flags_for("I have nothing left in my blister pack, can I order more tablets?") == set()
    assert "anal_discomfort" not in read("the pharmacist handed me a pile of leaflets").present


def test_doubled_over_with_pain_is_belly_pain_but_a_dose_doubled_over_the_weekend_is_not():
    assert "possible_ectopic_pregnancy" in flags_for(
        "6 weeks pregnant and doubled over with pain on her right side"
    )
    assert flags_for("my dose was doubled over the weekend and I'm pregnant") == set()


def test_a_low_reading_on_the_thermometer_is_not_read_as_normal():
    assert "fever" not in read("3 week old, 35.4 on the thermometer, floppy").negated


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("my daughter had her tonsils out last week and she's spitting up blood",
         "severe_bleeding"),
        ("tonsillectomy 8 days ago, now spitting fresh blood", "severe_bleeding"),
        ("added it all up, about 18 paracetamol in 20 hours with the cold and flu sachets",
         "possible_poisoning"),
        ("he's had 12 co-codamol in a day for his back", "possible_poisoning"),
    ],
)  # fmt: skip
def test_a_bleed_after_a_tonsillectomy_and_too_many_painkillers_in_a_day_are_emergencies(
    text, flag
):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "can I take 12 ibuprofen in a day for my period?",
        "took 2 paracetamol in 4 hours for a headache",
        "had my tonsils out as a child, now sore throats every winter",
        "spitting blood when I brush my teeth, gums bleed",
    ],
)
def test_a_question_about_a_dose_or_an_old_tonsillectomy_raise_no_flag(text):
    assert flags_for(text) == set()


# Sentences written for the study of batch 40 and by a reviewer who had not seen the batch.
BATCH_FORTY_EMERGENCIES = [
    ("since the penicillin my lips are puffy, harder to get my breath", "possible_anaphylaxis"),
    ("bad chest pain for half an hour, used the spray twice, not working", "possible_heart_attack"),
    ("chest pains, spray hasnt helped", "possible_heart_attack"),
    ("crushing chest pain, breathing fine, his spray isn't working", "possible_heart_attack"),
    ("father 71, central CP for 30 min, diaphoretic", "possible_heart_attack"),
    ("chest pain, sweaty, rubbing his left arm", "possible_heart_attack"),
    ("my chest is really killing me and I'm clammy", "possible_heart_attack"),
    ("nan found in her chair, GCS 7, only responds to pain", "unresponsive"),
    ("his GCS went down to 6", "unresponsive"),
    ("blood sugar 2.2 and he can't get his words out", "stated_emergency"),
    ("type 1, shaky and confused, won't take any sugar", "stated_emergency"),
    ("he's fallen off the shed roof onto his back", "stated_emergency"),
    ("fell off the ladder, neck hurts, both hands tingling", "stated_emergency"),
    ("fallen from the roof while fixing gutter, hurting neck can't feel his hands properly",
     "stated_emergency"),
    ("came off his motorbike, neck agony and cant feel his fingers", "stated_emergency"),
    ("type 1, breath smells of pear drops, been vomiting since lunch", "stated_emergency"),
    ("type 1, ketones are high 3.8 and I've been vomiting all night", "stated_emergency"),
    ("she wants to push now and we're still at home, 39 weeks", "stated_emergency"),
    ("I can feel my baby's head, on my own at home, contractions every minute", "stated_emergency"),
    ("she's crowning in the car", "stated_emergency"),
    ("a whole pan of hot fat went over his legs, huge area", "stated_emergency"),
    ("scalded with boiling water, blisters all over her chest and tummy", "stated_emergency"),
    ("my son is choking on a marble and turning blue", "stated_emergency"),
    ("toddler drank petrol out of a lemonade bottle", "possible_poisoning"),
    ("my toddler has drunk petrol", "possible_poisoning"),
    ("my dad swallowed drain unblocker", "possible_poisoning"),
    ("banged her head on the fireplace, getting sleepier by the minute", "serious_head_injury"),
    ("had a fall at the shops, head strike, takes rivaroxaban", "serious_head_injury"),
    ("smashed my head on a beam, been sick twice", "serious_head_injury"),
    ("my boy is 4 and his neck is sucking in when he breathes", "child_breathing_difficulty"),
    ("my daughter (6) is pulling for breath", "child_breathing_difficulty"),
    ("my son is shaking all the body and not answering", "seizure"),
    ("grandad is holding his head, it came on all of a sudden", "thunderclap_headache"),
    ("the most horrific headache of my life", "thunderclap_headache"),
    ("sudden terrible pain in my head", "thunderclap_headache"),
    ("patient 19, expressing SI, has pills saved", "suicidal_thoughts"),
    ("my son slashed his wrists in the bathroom", "suicidal_thoughts"),
    ("he has cut both wrists", "suicidal_thoughts"),
    ("honestly it would be easier not to wake up", "suicidal_thoughts"),
    ("keep thinking about driving into a bridge", "suicidal_thoughts"),
    ("i think its the only way out tbh", "suicidal_thoughts"),
    ("my sister sent a text saying goodbye, sorry for everything", "suicidal_thoughts"),
    ("6 weeks, +ve UPT, right sided pain", "possible_ectopic_pregnancy"),
    ("UPT +ve, PV bleeding and dizzy", "possible_ectopic_pregnancy"),
    ("newly expecting, pain low on the left, near syncope", "possible_ectopic_pregnancy"),
    ("on warfarin, epistaxis for over an hour", "severe_bleeding"),
    ("asthma attack, inhaler ran out, struggling and can't breathe", "severe_breathing_difficulty"),
    ("niece 6/52, temp 38.2", "infant_fever"),
    ("grandaughter 3/52 temp 38.5", "infant_fever"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_EMERGENCIES)
def test_the_signs_added_for_batch_forty_raise_their_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "cut my wrist on a tin lid, just a nick, plastered it",
        "I cut my wrists on broken glass clearing up, only small scratches",
        "the handcuffs cut his wrists, bit of bruising",
        "my nasal spray isn't working for my hay fever and my chest is fine",
        "pulled a muscle in my chest at the gym, the deep heat spray isn't helping",
        "hay fever sprays give me no relief, any other options?",
        "my inhaler is empty and I'm struggling to get a repeat prescription",
        "she choked on her drink but coughed it up straight away, fine now",
        "my daughter choked on a grape when she was a baby and turned blue, now scared to eat",
        "a lad at football collapsed last season (he's fine now), should my son be screened?",
        "nut allergy, no reactions for years, need a new EpiPen",
        "thunder and lightning kept me up, mild headache this morning",
        "watched Suicide Squad last night, after a repeat of my inhaler",
        "my tablets went down the wrong way and I coughed, all fine",
        "GCS 15, alert and chatty after a small bump",
        "GCS obs 4 hourly overnight, GCS 15 throughout",
        "Nursing student here: what does a GCS of 8 actually mean?",
        "I just want to go over my blood results",
        "sleepier than usual since starting antihistamines",
        "I'm expecting a parcel but missed the delivery",
        "newly married and expecting family over for christmas, getting stomach cramps",
        "patient expressing concerns about SI joint pain",
        "some tiles came off the roof in the storm and I've had a headache from the stress",
        "can I use drain unblocker while pregnant?",
        "I drink a lot of petrol station energy drinks and get palpitations",
        "our baby's due date is coming up fast, what should I pack in my hospital bag",
        "constipated, I have the urge to push but nothing comes out",
        "I can feel the baby's head low down pressing on my bladder at 37 weeks",
        "my daughter's neck is going red in the sun",
        "dad won't take sugar in his tea any more, he's been a bit confused with his dementia",
        "I feel like the only way out of this debt is bankruptcy",
        "my daughter has CP and since the onset of puberty her spasms are worse, been sick",
        "on keto, urine sticks show high ketones and I've got a bit of stomach cramp",
        "had an epistaxis an hour ago which stopped after 10 minutes of pressure",
        "repetitive strain injury in my wrist, neck stiff from my desk and my fingers go numb",
        "I had a fall at the supermarket last month, knee still sore",
        "my dad keeps holding his head in his hands when he is stressed",
        "negative UPT but cramping lower tummy",
        "fell asleep in the garden and got a bit pink",
    ],
)
def test_near_misses_of_the_batch_forty_signs_raise_no_flag(text):
    assert flags_for(text) == set()


# Sentences written for the study of batch 41, apart from it.
BATCH_FORTY_ONE_EMERGENCIES = [
    ("aa've got this almighty bang in me heed, nivver felt owt like it", "thunderclap_headache"),
    ("nan fell, her leg is short and turned out and she can't get up", "stated_emergency"),
    ("my dad's chest is killin him and he's wringin wet", "possible_heart_attack"),
    ("on the floor with his arms and legs going, been 2 minutes", "seizure"),
    ("whole body shaking, eyes rolled back, bit his tongue", "seizure"),
    ("my flatmate collapsed and is shaking", "seizure"),
    ("the cut is deep and blood is dripping all over the floor", "severe_bleeding"),
    ("grandad's varicose vein has burst and it's pouring", "severe_bleeding"),
    ("nosebleed won't stop, 40 minutes of pinching", "severe_bleeding"),
    ("she took Monday to Friday's tablets all at once", "possible_poisoning"),
    ("grandad's taken all of this week's dosette at once", "possible_poisoning"),
    ("found an empty packet of her sertraline under the bed", "possible_poisoning"),
    ("we picked wild mushrooms and ate them, now he's vomiting", "possible_poisoning"),
    ("gave my 2 month old the wrong Calpol, the big kids one", "possible_poisoning"),
    ("he drank from a bottle that had a caustic chemical in it", "possible_poisoning"),
    ("I want to take all my pills and not wake up", "suicidal_thoughts"),
    ("I don't think I can keep going.", "suicidal_thoughts"),
    ("my brother sent a goodbye text saying he loves us and he's sorry", "suicidal_thoughts"),
    ("a man went overboard and we pulled him out of the water, he's not breathing right",
     "stated_emergency"),
    ("she fell into a stream on the walk, stopped shivering, very drowsy", "stated_emergency"),
    ("carer here, client temp 39, won't move his neck, light is disturbing his eyes",
     "possible_meningitis"),
    ("abeg, my pikin body hot, him neck stiff and him no wan open eye for light",
     "possible_meningitis"),
    ("my sister get belle 2 months and she dey bleed, pain for one side, she dey dizzy",
     "possible_ectopic_pregnancy"),
    ("his lips are going blueish after the peanut, covered in hives", "possible_anaphylaxis"),
    ("my son is 1, his breathing is going so quick and there's a dip in his neck",
     "child_breathing_difficulty"),
    ("5 weeks pregnant, holding her right side, feels faint", "possible_ectopic_pregnancy"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_ONE_EMERGENCIES)
def test_the_signs_added_for_batch_forty_one_raise_their_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "my GP says I'll have a stroke if I don't cut down on salt, can I get my BP checked?",
        "the lads joke I'll have a heart attack with all the takeaways, cholesterol test please",
        "bit of an overdose of sunshine at the beach, shoulders pink",
        "had a choking fit on a crumb but coughed it up, fine now",
        "she fainted in the queue, came round in seconds and was fine after a sit down",
        "we're having a new boiler fitted, which carbon monoxide alarm should we buy?",
        "he wasn't responding so I tried shaking him and he woke straight up, just a deep sleeper",
        "itchy blotches on my arms and legs that come and go",
        "I can't keep going to the gym with this knee",
        "found an empty box of cereal and the kids are hungry",
        "we had a mushroom risotto last night, lovely",
        "varicose veins ache after a long shift",
        "nosebleed this morning, stopped after 5 minutes",
        "my colleague wrote a goodbye message in the leaving card",
        "he went overboard with the chocolate at Easter, tummy ache",
        # a reviewer's, who had not seen the batch
        "His arms and legs are going, he's trying to crawl, he's 7 months and doing well",
        "I went overboard at the gym and drank loads of water, now my arms ache",
        "She pulled them out of the sea when the lifeguard whistled, all fine",
        "his feet go blueish when he's cold, otherwise fine",
        "My daughter has a dip in her neck near the collarbone, is that normal",
        "My husband get belle pain for right side since morning",
        "found an empty tub of my protein powder",
        "I fill my dosette box for the whole week in one go on Sundays",
        "Pharmacy gave me the wrong tablets but I noticed and didn't take any",
        "Halfway up the hill I can't keep going, I have to stop and rest",
        "I'm on lithium, levels fine, get a bit dizzy when I stand up quickly",
    ],
)
def test_near_misses_of_the_batch_forty_one_signs_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I think I'm going to have a heart attack the way my heart is going, please help",
         "possible_heart_attack"),
        ("I feel like I'm going to have a stroke when I stand up, my face feels weird",
         "possible_stroke"),
        ("My son was in the shower fitted for two minutes, now drowsy", "seizure"),
        ("Nan collapsed and it's shaking her all over", "seizure"),
        ("Found a goodbye note from my daughter on her bed and she's not in her room",
         "suicidal_thoughts"),
        ("I cannot keep going with this life", "suicidal_thoughts"),
        ("found an empty bottle of my oxycodone in her room", "possible_poisoning"),
        ("He's swallered summat from under the sink", "possible_poisoning"),
    ],
)  # fmt: skip
def test_a_reviewers_emergencies_near_the_batch_forty_one_mends_keep_their_flags(text, flag):
    """Figures of speech and rewrites made for batch 41 must not take a real emergency away."""
    assert flag in flags_for(text)


# Sentences written for the study of batch 42, apart from it.
BATCH_FORTY_TWO_EMERGENCIES = [
    ("dad has angina, used his GTN twice and the pain isn't easing, he's grey",
     "possible_heart_attack"),
    ("heavy ache in my chest and my left arm has gone achy", "possible_heart_attack"),
    ("mum's face looks twisted on one side since lunch", "possible_stroke"),
    ("his mouth is not the same on both sides and he is confused", "possible_stroke"),
    ("my uncle fails to breathe, he sits forward and cannot talk", "severe_breathing_difficulty"),
    ("I can't... get my breath", "severe_breathing_difficulty"),
    ("a passenger is choking on a sweet and can't cough", "severe_breathing_difficulty"),
    ("babys lips look bluey and she's grunting", "severe_breathing_difficulty"),
    ("Freya (6 weeks) has a temperature of 38.3", "infant_fever"),
    ("our 9 week baby is 38.1 and sleepy", "infant_fever"),
    ("my 7 week old is hot and floppy and won't feed", "infant_fever"),
    ("Jacob (3 months) is pausing between breaths and grunting", "child_breathing_difficulty"),
    ("did the glass test on his rash and the spots are still there", "possible_meningitis"),
    ("high fever, the light hurts his eyes, very drowsy", "possible_meningitis"),
    ("she has a hot body, the light bothers her eyes and there's a rash", "possible_meningitis"),
    ("lifting weights then an explosive pain hit the back of my head", "thunderclap_headache"),
    ("went from no pain to the worst pain of my life in seconds", "thunderclap_headache"),
    ("I have migraines but this is nothing like them, came on all at once", "thunderclap_headache"),
    ("he held his head and said it felt like he'd been shot in the head", "thunderclap_headache"),
    ("she fell on the floor and her arms and legs are shaking", "seizure"),
    ("cut my hand on a knife and it's not stopping, the towel is red", "severe_bleeding"),
    ("deep cut on his arm, I've tied a belt round his arm to stop it", "severe_bleeding"),
    ("blood is coming very much from her leg", "severe_bleeding"),
    ("I'm 18 weeks pregnant and bleeding heavily", "stated_emergency"),
    ("he left a note saying goodbye and his phone is off", "suicidal_thoughts"),
    ("I keep thinking about driving into a bridge on the motorway", "suicidal_thoughts"),
    ("I'm so tired of living, nothing helps", "suicidal_thoughts"),
    ("Grandad says he won't be around much longer and gave away his watch", "suicidal_thoughts"),
    ("I'd rather go to sleep and not wake up tonight", "suicidal_thoughts"),
    ("the kids ate mushrooms off the lawn, one is vomiting", "possible_poisoning"),
    ("the pill box was left open and my toddler has eaten some", "possible_poisoning"),
    ("banged his head on a shelf, was out for a bit, now he's sick", "serious_head_injury"),
    ("found him at the foot of the stairs, a cut on his head, keeps repeating himself",
     "serious_head_injury"),
    ("my sister is about 7 weeks along, pain low on the left and some spotting",
     "possible_ectopic_pregnancy"),
    ("she has bad pain in the right bottom of her tummy, pregnant, feels faint",
     "possible_ectopic_pregnancy"),
    ("Pain: one side, low down\nLast period: 8 weeks ago\nPregnancy test: positive",
     "possible_ectopic_pregnancy"),
    ("we pulled a boy out of the river, he was under for a minute, he's coughing",
     "stated_emergency"),
    ("we found nan on the kitchen floor, she'd been there all night, confused", "stated_emergency"),
    ("tripped at the bus stop and her hip is at a funny angle", "stated_emergency"),
    ("sudden terrible stomach pain, tummy is rock hard and I've been sick", "stated_emergency"),
    ("type 1, blood sugar is 31 and I keep vomiting", "stated_emergency"),
    ("his glucose is 520 and he's very confused", "stated_emergency"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_TWO_EMERGENCIES)
def test_the_signs_added_for_batch_forty_two_raise_their_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "my cat had a fit last week, the vet's checked him and he's well",
        "we have a first aid refresher on medical emergency training next month",
        "Ambulance booking not urgent: how does patient transport work for my dad's clinic?",
        "my son was choking on a crisp earlier but coughed it up, fine now",
        "dizzy when the room spins, not just when I move my head, no sickness",
        "so bloated by night I look pregnant, IBS I think",
        "my hand goes numb at night and I have to shake it to wake it up",
        "we switched to a new bleach at work and my hands are dry and red",
        "took the kids to the beach, had a lovely day",
        "cut my finger, it's stopped now and there's a plaster on",
        "had a cut on my head from a fall last year, healed fine",
        "my sugar was 25 years ago when I was diagnosed, fine now, need a review",
        "glucose test at 24 weeks, is it fasting?",
        "Cough (3 weeks), no fever, can I get a review",
        "he held the baby and it felt like he'd been given the world",
        "I get migraines, this one is like the others, a bit of light sensitivity",
        "Last period: 2 weeks ago\nPregnancy test: negative\nWant the pill",
        "he was under the weather for a week but better now",
        "my legs were shaking after the marathon, normal?",
        "my toddler's tummy feels soft, she's eating fine",
        "I won't be around next week, can we move the appointment?",
        "I'm tired of living in this flat with the damp, can you write a letter?",
    ],
)
def test_near_misses_of_the_batch_forty_two_signs_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a sore white spot on the inside of my cheek for a week", "mouth_sore"),
        ("my left ear has been bunged up since swimming", "hearing_loss"),
    ],
)
def test_lay_words_for_a_mouth_ulcer_and_a_blocked_ear_are_read(text, code):
    assert code in read(text).present


# Sentences written for the study of batch 43, apart from it.
BATCH_FORTY_THREE_EMERGENCIES = [
    ("my son is 5, barking cough and a harsh sound when he breathes in, even resting",
     "child_breathing_difficulty"),
    ("temperature of 39, very hard to wake, and a blotchy rash on her legs", "possible_meningitis"),
    ("little red spots on his chest, not going when pressing glass", "possible_meningitis"),
    ("I'm 6 weeks, sharp pain on my right side and spotting, feel faint",
     "possible_ectopic_pregnancy"),
    ("he says he took 'a handful' of his mum's tablets", "possible_poisoning"),
    ("she is unable to complete a sentence without stopping for breath",
     "severe_breathing_difficulty"),
    ("asthma, ventolin did nothing, can't talk", "severe_breathing_difficulty"),
    ("deep cut, blood come out strong, we press and still not stop", "severe_bleeding"),
    ("blood pulsing out of his leg, soaked through three towels", "severe_bleeding"),
    ("tripped and hit hed on the step, sick twice", "serious_head_injury"),
    ("she took many sleeping pills tonight", "possible_poisoning"),
    ("angina, used the gtn 3 times over 15 minutes and it's not touching the pain",
     "possible_heart_attack"),
    ("I keep looking up how many co-codamol it takes", "suicidal_thoughts"),
    ("took a handful of her antidepressants after a row", "possible_poisoning"),
    ("fever, my neck won't bend and I'm being sick", "possible_meningitis"),
    ("type 1, libre just says HI, vomiting and drowsy", "stated_emergency"),
    ("headache went from nothing to ten out of ten at the gym", "thunderclap_headache"),
    ("our toddler has a high temperature, cries if the light is on, keeps dozing off",
     "possible_meningitis"),
    ("took 24 parcetamol this morning", "possible_poisoning"),
    ("the man at the bus stop is choking on a crisp, can't breathe, holding his throat",
     "severe_breathing_difficulty"),
    ("my babby's six weeks and burning up, 38.3", "infant_fever"),
    ("keep looking at the bridge when I walk home, think I'll just go", "suicidal_thoughts"),
    ("on the floor. shaking. eyes rolled. 4 mins", "seizure"),
    ("sudden agonising pain, my belly has gone rock hard, can't move", "stated_emergency"),
    ("nut allergy, lips swelling after the cake and now she's gone floppy", "possible_anaphylaxis"),
    ("found my son (3) with nan's tablets, the strip is half empty", "possible_poisoning"),
    ("got an electric shock from the cooker, it threw him across the room", "stated_emergency"),
    ("pulled my toddler out of the bath, he was under water", "stated_emergency"),
    ("ok. chest. hurts. arm heavy. sweating", "possible_heart_attack"),
    ("I'm going to go to sleep and not wake up, I've got the pills ready", "suicidal_thoughts"),
    ("this is the last time you'll see me, I've sorted my affairs", "suicidal_thoughts"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_THREE_EMERGENCIES)
def test_the_signs_added_for_batch_forty_three_raise_their_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm 6 weeks post-op from my hernia repair, can I lift?",
        "I'm 2 weeks into the antibiotics and still coughing a bit",
        "baby tried egg for the first time, no reaction at all, what next?",
        "my face is droopy on one side from the dental injection, wearing off now",
        "overdosed on mince pies over Christmas, need to lose weight",
        "my head's going to explode with all this admin, when is the clinic open?",
        "we're doing a near drowning drill at the pool on Sunday",
        "my sensor says hi to my phone over bluetooth, how do I pair it?",
        "I coach the under-12s and I get wheezy after training, asthma review please",
        "I'm 6 weeks smoke free and my cough is better",
        "been on nitrofurantoin 3 days and it isn't working, still stings",
        "haven't needed my gtn spray in months, not touched it since my stent",
        "choking on phlegm every morning, can't cough it up",
        "did 20 mins of yoga on the floor and my legs were shaking after",
        "got an electric shock off the car door, no burn, no chest pain",
        "looked up how many calories it takes to lose a pound",
        "this is the last time you'll see me at the surgery, we're moving to Leeds",
        "I can hear my blood pulsing in my ear at night",
        "my toddler overdosed on sweets at the party, hyper all afternoon",
        "my son has chickenpox and a temperature, I'm confused about when he can go back",
        "the gtn prescription isn't working on the app, can you resend it?",
        "found my son with my tablet charger again, he loves videos",
        "I took a handful of sweets from the jar",
        "'thank you' to the nurse yesterday, she was lovely",
        "got a small electric shock from the toaster, tingled for a second, fine",
        "his ankles are so swollen his slippers don't fit",
        "stiff shoulder, I can't lift my arm above shoulder height to brush my hair",
        "burnt my hand on the kettle, held it under the cold tap for 20 minutes",
    ],
)
def test_near_misses_of_the_batch_forty_three_signs_raise_no_flag(text):
    assert flags_for(text) == set()


BATCH_FORTY_FOUR_EMERGENCIES = [
    ("nan's been on the kitchen floor since the early hours, can't get up, muddled and frozen",
     "stated_emergency"),
    ("found grandad lying on the hall floor, he'd been lying there all night, he's very confused",
     "stated_emergency"),
    ("the triplets (4 months) all have colds but one is grunting and his ribs suck in",
     "child_breathing_difficulty"),
    ("twin b (7 weeks) feels hot, thermometer says 38.1", "infant_fever"),
    ("my baby he has 6 weeks, he is hot, temperature 38.6.", "infant_fever"),
    ("there's a dip at the base of her neck with every breath, she's 3",
     "child_breathing_difficulty"),
    ("he just told me he's going to hang himself tonight", "suicidal_thoughts"),
    ("I'm taking all my tablets tonight, I've had enough", "suicidal_thoughts"),
    ("she said she'll throw herself off the multi-storey", "suicidal_thoughts"),
    ("my dad won't rouse, he's slumped in the armchair", "unresponsive"),
    ("we've been calling his name for ages, no response, he's on the bathroom floor",
     "unresponsive"),
    ("had to sit down, felt like something burst in my head", "thunderclap_headache"),
    ("my son says his headache is the worst in his life and it came on at once",
     "thunderclap_headache"),
    ("pain shot through my skull like it exploded, then I was sick", "thunderclap_headache"),
    ("his face is hanging down on the left and his words are slurred", "possible_stroke"),
    ("mum suddenly can't understand a word I say and her speech is gibberish", "possible_stroke"),
    ("the left side of his face is hanging down since lunch", "possible_stroke"),
    ("I've lost the right half of my vision in both eyes this morning", "possible_stroke"),
    ("nosebleed for over an hour, pinching the soft part the whole time", "severe_bleeding"),
    ("the cut on his scalp is pouring and won't stop even with pressure", "severe_bleeding"),
    ("gashed his calf on a fence, blood's coming through the towel already", "severe_bleeding"),
    ("IVF embryo transfer three weeks ago, now sharp pain on the right and light spotting",
     "possible_ectopic_pregnancy"),
    ("positive test on Monday and now pain on the left with a little bleeding",
     "possible_ectopic_pregnancy"),
    ("mum took her whole week of tablets this morning by mistake, now sleepy",
     "possible_poisoning"),
    ("my toddler got at the paracetamol, there are 4 gone from the blister pack",
     "possible_poisoning"),
    ("my daughter knocked a kettle over her legs, the skin is coming off", "stated_emergency"),
    ("he stopped sweating in the heat, red and hot, and he's confused", "stated_emergency"),
    ("found him on the bathroom floor this morning, he'd been there 10 hours, cold and confused",
     "stated_emergency"),
    ("hot sunflower oil went over his hand from the pan, the skin is peeling off",
     "stated_emergency"),
    ("my husband is snorting and gasping for breath, he can't breathe",
     "severe_breathing_difficulty"),
    ("pressure in my chest for 40 minutes and I've not stopped sweating", "possible_heart_attack"),
    ("Mum collapsed in the hallway. Shaking her left side for 3 mins now", "seizure"),
    ("my dad woke in the night snorting and gasping and he's still fighting for breath",
     "severe_breathing_difficulty"),
    ("my nan fell in the night and has lain there till morning, she's stone cold and confused",
     "stated_emergency"),
    ("he collapsed in the garden, his whole body is shaking and he won't wake up", "seizure"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_FOUR_EMERGENCIES)
def test_the_signs_added_for_batch_forty_four_raise_their_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "my twin sister (34) wants a smear test booking",
        "the twins are at nursery, she has 2 weeks left of maternity leave",
        "my son has a cough, he has 2 weeks off school for half term",
        "I keep calling her name on the phone, no answer, she's probably at work",
        "watched a drama last night where a character had a stroke, how would I spot one?",
        "I just can't shake it, this cold has lasted a fortnight",
        "I've been feeling low since the spring, can't shake it off",
        "my sunburn from the holiday, the skin is peeling off now",
        "I've stopped sweating at night since starting the HRT",
        "pain on the left side of my knee after running",
        "he lay on the floor all night at the sleepover, slept fine",
        "the triplets (3 years) have nits again",
        "every night he stops breathing, then snorts and gasps and carries on snoring",
        "hang a picture and pulled my shoulder",
        "the GP couldn't understand a word of my old notes",
        "my ex can go hang himself for all I care",
        "I nearly walked off the edge of the platform looking at my phone",
        "this flu is the worst in my life, aching all over",
        "felt like something burst in my knee playing football, now swollen",
        "my fringe is hanging down over my face on one side",
        "I lost the right half of my filling eating toffee",
        "my hot flushes are so bad I sweat through the towel",
        "the hiccups won't stop even with pressure on my eyeballs",
        "I picked up a whole week of tablets from the pharmacy",
        "when I call his name he doesn't answer, he's 2, could it be autism?",
        "there's no need to wake him for feeds is there?",
        "my son has fever and cough, he has 3 days.",
        "Twin 1 fever 2 days, twin 2 fine",
        "I have my embryo transfer next week, is it normal to have pain on the left side?",
        "pregnant 20 weeks, pain on the left side of my head",
        "28 weeks pregnant and I've got pain on the right of my jaw from a wisdom tooth",
        "I burnt my tongue on hot coffee and now the skin is peeling off the roof of my mouth",
        "been doing floor exercises for my back since last night, feel sleepy",
        "I'm a mum of triplets and I've been a bit breathless climbing the stairs",
        "I missed my morning meds, can I take all my tablets tonight instead?",
        "Had a scald from the kettle last Tuesday, now the skin is peeling off as it heals",
        "I crashed at my mate's, been on his floor overnight, woke up stiff and drowsy",
        "my teenager won't rouse for school in the mornings, is that normal",
        "there was no wake for grandad because of covid and I'm struggling to sleep",
        "since the medication review I'm taking all my meds now and I feel much better",
        "I've had a head cold all week, worst in my life, blocked nose",
        "On the flight down my ears felt like something popped in my head",
        "my 2 year old is a daredevil, he'll throw himself off the bed for fun",
        "my son is going to hang himself upside down on the monkey bars",
        "I've taken a whole week of tablets of amoxicillin and my chest is no better",
        "my son almost got at my tablets yesterday, I've moved them higher",
        "since his new tablets grandad has stopped sweating, is that a side effect?",
        "the receptionist couldn't understand a word I said because of the bad line",
        "my wife's embryo transfer was 2 weeks ago; I have stomach pain from food poisoning",
        "the dip at the bottom of his neck looks deeper since he lost weight, he breathes fine",
        "expecting triplets (10 weeks), temp 38.1 and feel rough",
        "I'm 12 weeks pregnant and got toothache, pain on the left when I chew",
    ],
)
def test_near_misses_of_the_batch_forty_four_signs_raise_no_flag(text):
    assert flags_for(text) == set()


def test_shaking_someone_to_wake_them_is_no_tremor_but_shaking_all_over_is():
    assert "tremor" not in read("my husband won't wake up, I've been shaking him").present
    assert "tremor" not in read("shaking her shoulders does nothing, she's out cold").present
    assert "seizure" in flags_for("she's on the floor, it's shaking her all over")


def test_not_going_to_do_anything_daft_denies_thoughts_of_self_harm():
    reading = read("can't see the point some days but I'm not going to do anything daft")
    assert "suicidal_thoughts" in reading.negated
    assert "self-harm" not in reading.affirmed_text
    assert "suicidal_thoughts" not in read("I'm going to do something stupid tonight").negated


def test_a_form_line_answered_no_denies_its_finding_but_not_breathing():
    reading = read("Main problem: tummy pain\nWeight loss: no\nBlood: no\nBreathing: no\n")
    assert "weight_loss" in reading.negated
    assert "abdominal_pain" in reading.present
    assert "shortness_of_breath" not in reading.negated


def test_looking_pregnant_is_a_bloated_belly_not_a_pregnancy():
    assert flags_for("tummy pain and bloating, I look 6 months pregnant by evening") == set()
    assert "possible_ectopic_pregnancy" in flags_for("I'm 7 weeks pregnant, pain on my left side")


BATCH_FORTY_FIVE_EMERGENCIES = [
    ("I'm cutting again and it's deeper than before", "suicidal_thoughts"),
    ("she says she's cutting right now in the bathroom", "suicidal_thoughts"),
    ("the wee yin's chist is suckin in wi every breath, 2 year auld", "child_breathing_difficulty"),
    ("estoy embarazada de 7 semanas, dolor en el lado izquierdo y sangrado, I feel faint",
     "possible_ectopic_pregnancy"),
    ("mi bebé tiene 6 semanas, fiebre de 38.3", "infant_fever"),
    ("I've saved up my insulin and I'm going to inject the lot tonight", "suicidal_thoughts"),
    ("my toddler bit a dishwasher capsule, blue foam round her mouth, coughing",
     "possible_poisoning"),
    ("the CO detector in the hall is going off and we all feel dizzy and sick",
     "possible_poisoning"),
    ("boiler man says the flue is blocked, mum has a headache and is confused",
     "possible_poisoning"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_FIVE_EMERGENCIES)
def test_the_signs_added_for_batch_forty_five_raise_their_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm cutting down on sugar and can't stop thinking about cake",
        "I'm cutting back on my hours, it's deeper than just tiredness though",
        "my son chewed a non-toxic crayon at nursery, he's fine",
        "please add my penicillin anaphylaxis from 2009 to my record",
        "can I get a new CO detector fitted through the council? no symptoms",
        "the dishwasher capsules are locked away now, can I get advice on child locks?",
        "mi bebé tiene 5 meses and a small cough, no fever",
        "my toddler has blue ink on his lips from a pen, he's fine",
    ],
)
def test_near_misses_of_the_batch_forty_five_signs_raise_no_flag(text):
    assert flags_for(text) == set()


BATCH_FORTY_FIVE_SECOND_LOOK = [
    ("her period didn't come for 6 weeks and now sharp pain on the left, she fainted",
     "possible_ectopic_pregnancy"),
    ("a roofer fell two floors onto the patio, he's awake but can't move his legs",
     "stated_emergency"),
    ("spots on his tummy, disnae go when I press a glass on them, he's hot", "possible_meningitis"),
    ("fell off the ladder clearing gutters, clear fluid dripping from her nose",
     "serious_head_injury"),
    ("my notes are written, I'll take the lot tonight", "suicidal_thoughts"),
    ("I've lined up the tablets, tonight's the night", "suicidal_thoughts"),
    ("my brother is on the bridge and says he's going to jump", "suicidal_thoughts"),
    ("we try to wake her, nothing, she's on the sofa", "unresponsive"),
    ("mi granny fall an she nah answer", "unresponsive"),
    ("- +ve test Friday - sharp pain R side low down, spotting", "possible_ectopic_pregnancy"),
    ("nosebleed for 30 minutes, pinching, still pouring", "severe_bleeding"),
    ("headache came on like a hammer, worst he's iver had", "thunderclap_headache"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_FIVE_SECOND_LOOK)
def test_a_second_look_at_batch_forty_five_raises_their_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "the kids are going to jump on the trampoline at the top of the garden",
        "I'm going to jump in the pool at the top of the hour, any tips for ear pain?",
        "had a nosebleed for 30 minutes yesterday, it has stopped now",
        "I'll take the lot, said my husband at the garden centre about the plants",
        "tonight's the night of the school play, can I have a fit note for tomorrow?",
        "we try to wake him gently for school, he's a heavy sleeper",
        "the +ve test for covid last week, all better now",
    ],
)
def test_near_misses_of_the_second_look_at_batch_forty_five_raise_no_flag(text):
    assert flags_for(text) == set()


BATCH_FORTY_FIVE_STUDIED = [
    ("my 3yo has eaten some of my sertraline, maybe 5 or 6", "possible_poisoning"),
    ("I have bought many sleeping pills and I plan to take all of them tonight",
     "suicidal_thoughts"),
    ("found a note saying she doesn't want to be here anymore", "suicidal_thoughts"),
    ("he is 3, burning hot, won't let us put the light on and so drowsy", "possible_meningitis"),
    ("took a wood to the side of the head at bowls, she's on warfarin and a bit vague",
     "serious_head_injury"),
    ("says it's just wind but he's been rubbing his breastbone, jaw aches, soaked in sweat",
     "possible_heart_attack"),
    ("the door smacked him in the head, out for a few seconds, now spewing and drowsy",
     "serious_head_injury"),
    ("deep cut to the back of his leg and it's gushing, a pool of it on the pavement",
     "severe_bleeding"),
    ("she is on the floor, her arms and legs are jumping and she's not answering", "seizure"),
    ("my son has just texted me goodbye and said he's at the bridge", "suicidal_thoughts"),
    ("her face, the right side is kind of sagging, and it's not words when she talks",
     "possible_stroke"),
    ("my 15 year old drank most of a bottle of vodka and she's barely conscious",
     "possible_poisoning"),
    ("he told me he's going to drive his car into the quarry tonight", "suicidal_thoughts"),
    ("hand on his chest, says it's squeezing him, sweating buckets", "possible_heart_attack"),
    ("can't face it any more, I've saved up my insulin and I'm injecting the lot later",
     "suicidal_thoughts"),
    ("I'm going to inject all my insulin at once tonight", "suicidal_thoughts"),
    ("my period hasn't come and there's bad pain low on one side, I feel faint",
     "possible_ectopic_pregnancy"),
    ("I'm cutting my arms and I can't stop", "suicidal_thoughts"),
    ("I'm cutting again and there's blood everywhere", "suicidal_thoughts"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_FIVE_STUDIED)
def test_batch_forty_five_studied_raises_its_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        # over-reaches of the first mends, found on review
        "I'm cutting again for my bodybuilding show, can I keep taking creatine?",
        "he's cutting another tooth and won't stop dribbling, is calpol ok?",
        "I forgot my antibiotics this morning so I'll take the lot tonight, is that ok?",
        "my new sertraline has come, tonight's the night I start the tablets",
        "on top of that I'm about to jump on a plane to Spain, can I get my jabs?",
        "my 4 year old wants to jump off the top of the climbing frame, is that normal?",
        "I tried to wake him and nothing, he slept through the alarm again for school",
        "had a nosebleed for 25 minutes on Sunday, all settled now",
        "what should I do if a nosebleed goes on for more than 20 minutes?",
        "me call the surgery all morning and dem nah answer the phone, I need my tablets",
        "I had a +ve test for chlamydia last week and now some pain low on the right",
        "I'm type 1 and I inject all my insulin in the morning, is it better to split it?",
        "going on holiday so I've saved up my insulin pens in the fridge, travel letter please",
        "I didn't come to my appointment for period pain, can I rebook? cramps still bad",
        "I'm breastfeeding and my period hasn't come back since the baby, tummy aches",
        "I'm on apixaban and scared of falling off a ladder at work",
        "hungover this morning, headache like a hammer, lesson learned",
        "we fitted a new CO detector for the landlord. separately a migraine since Tuesday",
        "my hands are a bit sore from handling dishwasher capsules without gloves",
        "the lift at work fell two floors yesterday, not hurt but having panic attacks",
        # batch 45's own false alarms
        "our book club is reading an Agatha Christie where someone's poisoned. Is it true "
        "heart tablets come from foxglove? Just curious!",
        "woke with my whole right arm dead, couldn't feel it, but it came back after shaking "
        "it. I'd been lying on it all night, fine now",
        "my husband is completely unresponsive whenever the football's on lol, BP review?",
        "care worker: she didn't answer so I tried to rouse her, she woke and was fine",
    ],
)
def test_near_misses_of_batch_forty_five_studied_raise_no_flag(text):
    assert flags_for(text) == set()


def test_drink_with_someone_who_cannot_be_woken_is_alcohol_poisoning():
    assert "possible_poisoning" in flags_for("my mate passed out drunk and we can't wake him")
    assert "possible_poisoning" not in flags_for("my mate is drunk and asleep on the sofa")


def test_a_drama_question_does_not_hide_the_writers_own_stroke():
    text = (
        "Just curious, we were watching a drama where a character had a stroke, is that "
        "right it's face drooping? Because that's how it is for me, face drooping on the left"
    )
    assert "possible_stroke" in flags_for(text)


BATCH_FORTY_SIX_STUDIED = [
    ("started a new blood pressure tablet and now his tongue is very big, breathing noisy",
     "possible_anaphylaxis"),
    ("bitten by a dog on the face, his cheek is hanging open", "stated_emergency"),
    ("fever since morning, very sleepy, small spots like bruise on his chest",
     "possible_meningitis"),
    ("my little sister 3 years cannot breathe good, very tired", "child_breathing_difficulty"),
    ("our little fella's 2 and really struggling, ribs sucking in", "child_breathing_difficulty"),
    ("big cut on his leg, blood coming out really fast, gone through two towels",
     "severe_bleeding"),
    ("Meds: GTN spray. Used the spray 3 times and the crushing pain is not shifting",
     "possible_heart_attack"),
    ("fever, neck he cannot move, light make his eyes pain, he is 10", "possible_meningitis"),
    ("a constricting sensation across my chest, two doses of glyceryl trinitrate have afforded "
     "no relief", "possible_heart_attack"),
    ("I keep thinking about driving my cab into the river, tonight I'll do it",
     "suicidal_thoughts"),
    ("my 4 year old had some of his dad's methadone, getting drowsy", "possible_poisoning"),
    ("his gob's droopin on one side and he cannit lift his arm", "possible_stroke"),
    ("what he said came out as gobbledygook", "possible_stroke"),
    ("im 15 and i cant do this anymore. im on the bridge near school", "suicidal_thoughts"),
    ("yanked the hook out and it started gushing, running off his fingers", "severe_bleeding"),
    ("his mouth is pulled down and when he talks it is not words", "possible_stroke"),
    ("39.6, neck hurts, wants all the lights off, rash isn't fading under a glass",
     "possible_meningitis"),
    ("pulled him out, he's been in the water 20 mins, slurring and confused",
     "stated_emergency"),
    ("pos test 2 wks ago, stabbing pain low on the right, spotting. had chlamydia before",
     "possible_ectopic_pregnancy"),
    ("she is going to jump from the top of her flats tonight", "suicidal_thoughts"),
    ("splashed oven cleaner in my eye at work, can't open it", "stated_emergency"),
    ("she went quiet, heavy breathing, she doesn't answer however loud I shout", "unresponsive"),
    ("my brother just had his first ever fit and he's confused", "seizure"),
    ("mum is epileptic and this fit has been going on for 5 mins", "seizure"),
    ("no point anymore. have rope. sorry", "suicidal_thoughts"),
    ("she had a massive fit at school and is still drowsy", "seizure"),
    ("he fit for ages on the kitchen floor", "seizure"),
    ("his fit went on for over 5 minutes", "seizure"),
    ("my husband has put a rope round his neck in the bedroom", "suicidal_thoughts"),
    ("used my GTN spray twice and the chest pain is still there", "possible_heart_attack"),
    ("some cement got into both his eyes on site, he can't open them", "stated_emergency"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_SIX_STUDIED)
def test_batch_forty_six_studied_raises_its_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "the tower captain tells of a ringer caught up in the rope in the 80s. stiff shoulder ok?",
        "knee aches after club rides, is it a bike fit thing or a GP thing?",
        "fainted at a wedding in 2019, never since. Fit and well. Do I declare it?",
        "they want a letter saying she's fit to cycle, can the GP do that?",
        "I need a signature to say I'm fit to swim 400m and lift a casualty",
        "a boy in my swimming class swallowed a lot of water yesterday, coughed, fine now",
        "I get a head rush for a second when I stand up quickly, been like it for years",
        "I dreamt I was having a stroke and woke in a panic, I could move and talk fine",
        "after that footballer collapsed on the telly, is there screening? my son is fit and well",
        "my nephew 11 years ago had his tonsils out, can he have them checked again?",
        "the nasal spray gave no relief for my blocked nose, used the spray twice",
        "my husband is on methadone and my son asked about it, how do I explain?",
        "no spots like bruises, just a few red ones that fade, she's playing happily",
        "got cement in my eye last week, rinsed it out, fine now",
        # over-reaches of the first mends, found on review
        "I took my spray for angina this morning and felt better, no relief from the headache",
        "my son is 25 and on a methadone script, he had some chest pain last week",
        "I've had enough of this cough, it's worst when I'm at the top of the stairs",
        "I use hyaluronic acid drops, can I put them in my eyes with contact lenses?",
        "the surgery phone doesn't answer no matter how loud I shout at it, I need my pills",
        "I have a mark like a bruise on my shin after I knocked it 3 weeks ago",
        "Bowel screening pos test result, lower tummy pain on and off for weeks",
        "we're thinking of driving the car into the Lake District, travel sickness tablets?",
        "pain under my shoulder blade and my nose keeps gushing with this cold",
        "my sister 15 years older than me has asthma and is wheezy after a cold",
        "my blister popped and the skin is hanging open, should I cut it off?",
        "the ulcer on my tongue is so big it hurts to eat",
        "I went overboard on the wine at the wedding and now I'm drowsy",
        "my period is so heavy I've gone through two towels in an hour, is that normal?",
        "the letter from the hospital was gobbledygook to me, can someone explain?",
        "got a rope burn on my hand at the climbing wall, is it infected?",
        "we live in a block of flats and my son wants to jump the fence at the park",
    ],
)
def test_near_misses_of_batch_forty_six_studied_raise_no_flag(text):
    assert flags_for(text) == set()


def test_not_wanting_to_harm_oneself_is_a_denial_unless_a_but_follows():
    assert flags_for("I do not want to harm myself, I only want to feel normal again") == set()
    assert "suicidal_thoughts" in flags_for(
        "i dont want to hurt myself but i think about it all the time"
    )


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("i think my baby has a fever, shes only 5 weeks", "infant_fever"),
        ("skin pulling in between her ribs every breath, shes 2", "child_breathing_difficulty"),
        ("she left a note saying goodbye and she isnt answering her phone", "suicidal_thoughts"),
        ("she doesn't look right, her lips are blue", "severe_breathing_difficulty"),
        ("don't have my inhaler, wheezing really bad, can't talk", "severe_breathing_difficulty"),
    ],
)
def test_apostrophes_left_out_are_read_by_the_regexes_too(text, flag):
    assert flag in flags_for(text)


def test_a_medicine_not_at_hand_denies_only_the_medicine():
    assert flags_for("I don't have my inhaler with me but no wheeze or breathlessness") == set()


BATCH_FORTY_SEVEN_STUDIED = [
    ("sliced his thumb on the grinder, blood is jumping out of it", "severe_bleeding"),
    ("found gran on the floor this morning, heating off, she's icy and talking rubbish",
     "stated_emergency"),
    ("SpO2 86% on my finger monitor and I can't get my words out", "severe_breathing_difficulty"),
    ("oximeter on my daughter (3) reads 90%, she's breathing really quick",
     "child_breathing_difficulty"),
    ("sats 88 on the kit at work, wheezing and struggling", "severe_breathing_difficulty"),
    ("out all day in the sun at the fete, now burning hot and confused", "stated_emergency"),
    ("he drank a lot of spirit at the party and we can't wake him", "possible_poisoning"),
    ("did a test last night and it's positive, sharp pain low on my right side",
     "possible_ectopic_pregnancy"),
    ("the youngest (18 months) is wheezing and working hard to breathe",
     "child_breathing_difficulty"),
    ("our little one's 6 weeks and feels hot, 38.4 on the thermometer", "infant_fever"),
    ("the baby had his 8 week jabs this afternoon and now he's 38.6", "infant_fever"),
    ("my granddaughter (9 weeks) has a temperature of 38.3", "infant_fever"),
    ("got a shock off a live wire at work, heart is racing", "stated_emergency"),
    ("like a bomb going off in her skull, she's never had a headache like it",
     "thunderclap_headache"),
    ("felt like a bomb went off in my skull, then I threw up", "thunderclap_headache"),
    ("been sick twice and it's bright red blood both times", "severe_bleeding"),
    ("took 20 sleeping tablets because I want it all to be over", "suicidal_thoughts"),
    ("mi want fi dead, mi tek all di tablets", "suicidal_thoughts"),
    ("I keep hearing that I should die and I've got the tablets ready", "suicidal_thoughts"),
    ("my wife left a note saying she's sorry and she loves us, and she isn't answering her "
     "phone", "suicidal_thoughts"),
    ("cut his arm on a window, it's gushing and we can't make it stop", "severe_bleeding"),
    ("my baby's belly is going in and out really fast and she won't feed",
     "child_breathing_difficulty"),
    ("my son went stiff and then shaking all over for 3 minutes", "seizure"),
    ("she went rigid and shook all over, then came round confused", "seizure"),
    ("banged my head on a beam, now I keep repeating myself", "serious_head_injury"),
    ("paracetamol and cold and flu tablets for a week, probably 8g a day, now I feel sick",
     "possible_poisoning"),
    ("he had a mouthful of screenwash from a pop bottle, throat burning", "possible_poisoning"),
    ("my toddler has eaten most of a bottle of my iron tablets", "possible_poisoning"),
    ("I've been thinking about the shotgun in the cabinet a lot since the farm went under",
     "suicidal_thoughts"),
    ("his face has gone funny on one side and he can't hold the cup", "possible_stroke"),
    ("I'm 6 weeks, spotting at 6 weeks and now pain on the left and dizzy",
     "possible_ectopic_pregnancy"),
    ("he's haudin his chest, says it's crushing, drippin wi sweat", "possible_heart_attack"),
    ("I'm too puffed to finish talking, can't lie flat", "severe_breathing_difficulty"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_SEVEN_STUDIED)
def test_batch_forty_seven_studied_raises_its_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our labrador had a fit this morning, the vet is seeing him at 4. Can I get a flu jab?",
        "Flu since Monday, I'm only fit for the bed, breathing fine, drinking plenty",
        "I had a dream I was drowning and woke up, breathing normal, is that stress?",
        "my sats are usually 89 with my COPD, no change, need a repeat inhaler",
        "sats 97% on the oximeter, just a cough, can I go to work?",
        "Can I take more than the recommended dose of paracetamol for toothache?",
        "I'm careful never to go over the limit with paracetamol, is ibuprofen ok too?",
        "did an ovulation test, it's positive, when should we try? bit of tummy ache",
        "bleeding at 6 weeks after the birth, is that still normal? no pain",
        "my husband isn't answering his phone, can you move his appointment?",
        "too puffed to finish my run this morning, is that just being unfit?",
        "drank white spirit? no, he only touched the bottle, he's fine and playing",
        "the heating was off all week and I've got a cold, any advice?",
        "we did a lesson on oxygen saturation, 95 to 100 percent is normal, right?",
        # over-reaches of the first mends, found on review
        "What happens if my sats drop to 90?",
        "My oxygen sats were 91% when I had covid in 2021",
        "oximeter battery is at 90%",
        "The oximeter says pulse 85, oxygen 97%.",
        "My SATs results came back, 88 in maths, I'm stressed",
        "Target sats for my COPD are 88-92% according to my respiratory team, is that right?",
        "I have COPD and my sats usually sit around 89%, no change today, need an inhaler refill.",
        "The oximeter is 92 pounds on Amazon, worth buying? I have asthma but fine now.",
        "I'm over the limit for driving after wine, paracetamol for the headache?",
        "5g a day creatine and paracetamol for sore muscles",
        "What happens if you take more than the recommended dose of Calpol?",
        "My husband left me a note saying sorry and he loves me, he's at work, phone is off.",
        "left a note saying sorry and love you, gone to the gym, phone is off",
        "On Corrie last night Roy was saying goodbye and he's sorry. So sad!",
        "Headache came on slowly over a day, nothing like a clap of thunder.",
        "Sorry if I'm repeating myself, I hit my head yesterday and I'm absolutely fine.",
        "My face looks funny on one side in photos, I think it's my bad side.",
        "Should iron tablets be taken after I've eaten?",
        "She went rigid with cold and shook all over after the swim, warmed up now and fine.",
        "Too puffed to talk after my 10k run lol, back to normal after a minute.",
        "water gushing from the tap and it won't stop, the plumber is coming",
        "Mi nah want fi dead, mi just have a bad cold",
        "I had my baby by c-section and I'm still bleeding at 6 weeks, bit lightheaded",
        "My sister did a test, it's positive! My tummy hurts from laughing.",
        "Our puppy had his 8 week jabs this morning and I have a temperature of 38.5",
        "going clay shooting with dad's shotgun, sat with it all morning, my ears ring",
        "The husky noise in my voice is a cold, no trouble breathing",
    ],
)
def test_near_misses_of_batch_forty_seven_studied_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Dad has COPD, normally 92 but today sats 82%", "severe_breathing_difficulty"),
        ("sats are 88% which is much lower than his normal 96", "severe_breathing_difficulty"),
        ("reading on oximeter: 89", "severe_breathing_difficulty"),
        ("his sats are in the 80s all night", "severe_breathing_difficulty"),
        ("My 4 year old's oxygen is 90% on the monitor", "child_breathing_difficulty"),
        (
            "The husky noise when he breathes in is getting worse, his lips look blue",
            "severe_breathing_difficulty",
        ),
        ("My toddler drank a lot of white spirit from a bottle in the shed", "possible_poisoning"),
        (
            "He left a letter saying sorry and that he loves us all and now he's not answering "
            "his phone.",
            "suicidal_thoughts",
        ),
        (
            "My dad left a note saying he's sorry and he loves us, he didn't go to work today and "
            "isn't answering his phone.",
            "suicidal_thoughts",
        ),
        (
            "I keep thinking about the shotgun in the cabinet and using it on myself",
            "suicidal_thoughts",
        ),
        (
            "Did a test, it's a faint positive. Sharp pain right side, dizzy.",
            "possible_ectopic_pregnancy",
        ),
        ("I've taken 6 grams of paracetamol daily for 5 days", "possible_poisoning"),
    ],
)
def test_what_the_review_of_batch_forty_seven_found_raises_its_flag(text, flag):
    assert flag in flags_for(text)


def test_tablets_taken_with_despair_told_are_an_attempt_not_only_a_poisoning():
    attempt = "can't take it anymore, I've swallowed a whole box of my sleeping tablets"
    assert {"suicidal_thoughts", "possible_poisoning"} <= flags_for(attempt)
    assert "suicidal_thoughts" in flags_for(
        "she texted saying goodbye and that she's taken a load of pills"
    )
    assert flags_for("had enough of this cold, took two paracetamol and went to bed") == set()


BATCH_FORTY_EIGHT_STUDIED = [
    ("she's having the baby now in the back of the taxi, I can see the head", "stated_emergency"),
    ("gashed his shin on rocks, blood is coming a lot and not stopping", "severe_bleeding"),
    ("type 1, shaky and muddled, his sugar's 2.1 on the machine", "stated_emergency"),
    ("my daughter (3) has drunk some of her dad's methadone", "possible_poisoning"),
    ("he posted that he's sorry for everything and he's going to the bridge", "suicidal_thoughts"),
    ("got knocked out playing football, now confused and he's been sick", "serious_head_injury"),
    ("my son (6) drank some of the disinfectant, he's been sick", "possible_poisoning"),
    ("walked into a lamp post, clear fluid coming from my nose and I'm dizzy",
     "serious_head_injury"),
    ("says half her vision has gone and her right hand feels odd", "possible_stroke"),
    ("sent us all a message giving away his tools, he won't be needing them, goodbye",
     "suicidal_thoughts"),
    ("baby's only a fortnight old and he's 38.2", "infant_fever"),
    ("I can't get a stir out of grandad at all, he's breathing but not with us", "unresponsive"),
    ("his smile is only on one side and his arm keeps dropping", "possible_stroke"),
    ("cut his hand on a bottle, blood is shooting out", "severe_bleeding"),
    ("touched a bare wire in the loft and got a shock, now his heart is racing",
     "stated_emergency"),
    ("hot all day, screams at the light, and the spots don't go when I press the glass",
     "possible_meningitis"),
    ("came off her horse, hat's cracked and she can't remember the ride", "serious_head_injury"),
    ("she is choking on a sweet and can't breathe or cough", "stated_emergency"),
    ("i'm done with it all. tonight's the night", "suicidal_thoughts"),
    ("we got him out of the river after an hour, he's stopped shivering and talking nonsense",
     "stated_emergency"),
    ("asthma really bad and the pump isn't helping, I can only say a few words",
     "severe_breathing_difficulty"),
    ("sliced my arm on glass, been pressing hard for 10 minutes and it won't stop",
     "severe_bleeding"),
    ("my chest feels like a lorry is on it and I'm sweating, nitro spray has done nothing",
     "possible_heart_attack"),
    ("my brother told me he wants to die and he's planned how to do it", "suicidal_thoughts"),
    ("had the disposable barbecue in the tent porch, now headache, sick and muddled",
     "possible_poisoning"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag"), BATCH_FORTY_EIGHT_STUDIED)
def test_batch_forty_eight_studied_raises_its_flags(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "brain freeze from a slushie, sharp sudden headache for 10 seconds, gone now",
        "I dreamt last night I had a stroke, woke up fine, moving and talking normally",
        "my mum had fits as a little girl, could I have epilepsy? asking for my licence",
        "back to work on Monday, do I need a note to say I am fit?",
        "your app is unresponsive again, can't book my smear",
        "my dad is unresponsive to texts as usual, can I book his flu jab?",
        "fingers go white then blue in the cold, back to normal indoors, is it Raynaud's?",
        "the view from the top left me gasping, knees sore on the way down",
        "fit as a fiddle, just need a form signed for my dive course",
        "did a pregnancy test, it was negative, period came today with the usual cramps",
        "static shock off the trolley at the supermarket, made me jump, nothing else",
        "we got knocked out of the cup on penalties, I've got a sore calf",
        "I'm dying to know when my results are back",
        "burning when I wee and going more often, think it's a water infection",
        "we did a choking drill with the dummy today, is my penicillin allergy on my record?",
    ],
)
def test_near_misses_of_batch_forty_eight_studied_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        # over-reaches of the first mends of batch 48, found on review
        "Babysitter sorted, tonight's the night! Date night at last",
        "I can't do this diet anymore, tonight's the night I have a takeaway",
        "He said sorry for everything in his wedding speech, we cried, then walked by the river",
        "Giving away my crutches today, goodbye plaster cast! Ankle a bit stiff",
        "I was knocked out cold by the antihistamines yesterday, slept 12 hours, now fine",
        "My son's front tooth was knocked out playing football, no head bump",
        "My tattoo is a fortnight old and a bit red, I've got a temperature of 38",
        "dying to do a poo but the queue for the loo is huge",
        "electric shock pains down my leg from my sciatica and a burning feeling",
        "the nasal spray has done nothing for my blocked nose",
        "the breast pump isn't helping my supply, any tips?",
        "Had a migraine aura that took out half my vision for 20 minutes, gone now",
        "drank a green smoothie thinking it was juice, tasted awful, fine",
        "I'm on methadone and drank a cup of tea with it, is that ok?",
        "Can't get a stir out of my teenager in the mornings, is that normal for 15",
        "My sister is having the baby now so I'm looking after her toddler, he has a cough",
        "I can see the head of the tick in my dog's ear, how do I get it out?",
        "Topping up the screenwash, I swallowed my gum lol.",
    ],
)
def test_near_misses_of_the_review_of_batch_forty_eight_raise_no_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "my 3yo had a nightmare he was choking woke up cant breathe properly lips going blue",
            "child_breathing_difficulty",
        ),
        ("After a nightmare she had a fit lasting 5 mins and she's still not herself", "seizure"),
        ("his lips went white then blue and he stopped breathing", "severe_breathing_difficulty"),
        (
            "My 2 year old choked on an ice lolly stick and her lips are blue",
            "child_breathing_difficulty",
        ),
        (
            "found my dad in front of the telly screen unresponsive, eyes open not blinking",
            "unresponsive",
        ),
        ("my fortnight-old baby has a temperature of 38.3", "infant_fever"),
        ("wrote my letters. tonight's the night x", "suicidal_thoughts"),
    ],
)
def test_what_the_review_of_batch_forty_eight_found_raises_its_flag(text, flag):
    assert flag in flags_for(text)
