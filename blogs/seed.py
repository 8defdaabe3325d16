"""A few health articles by the demo doctors, with comments. Idempotent."""

from django.utils.text import slugify

from blogs import services
from blogs.models import BlogPost, PostStatus
from users.models import User

ARTICLES = [
    (
        "dr.lindqvist@clinic.example",
        "Understanding your blood pressure numbers",
        ["heart", "prevention"],
        """Blood pressure is written as two numbers, for example **128/82 mmHg**.

* The first (systolic) is the pressure while your heart beats.
* The second (diastolic) is the pressure between beats.

| Category | Systolic | Diastolic |
| --- | --- | --- |
| Normal | below 120 | below 80 |
| Elevated | 120-129 | below 80 |
| Stage 1 hypertension | 130-139 | 80-89 |
| Stage 2 hypertension | 140 or more | 90 or more |

Measure at the same time each day, seated, after five quiet minutes. One high reading is not
a diagnosis: bring a week of readings to your next visit.""",
    ),
    (
        "dr.weber@clinic.example",
        "When is a fever worth a visit?",
        ["infections", "family"],
        """Most fevers are the body's normal answer to an infection and pass in two or three days.

Call us the same day if the fever lasts more than **three days**, is above **39.5 °C**, or comes
with a stiff neck, a rash that does not fade when pressed, confusion, or trouble breathing —
in those cases call emergency services at once.

Rest, drink often, and use paracetamol or ibuprofen as the leaflet says.""",
    ),
    (
        "dr.patel@clinic.example",
        "Type 2 diabetes: small steps that help",
        ["diabetes", "prevention"],
        """You do not need a perfect diet to lower your risk of type 2 diabetes.

1. Walk briskly for 30 minutes on most days.
2. Swap sugary drinks for water.
3. Fill half your plate with vegetables.

Ask us for a FINDRISC check: a short questionnaire that estimates your ten-year risk.""",
    ),
    (
        "dr.nguyen@clinic.example",
        "Sleep and mood: what the evidence says",
        ["mental-health"],
        """Poor sleep and low mood feed each other. Keep regular hours, limit screens in the hour
before bed, and keep caffeine to the morning. If low mood lasts more than two weeks, talk to
us — help works.""",
    ),
]

# Comments by the slug of the post they are about: (commenter's e-mail, text).
COMMENTS: dict[str, list[tuple[str, str]]] = {
    "understanding-your-blood-pressure-numbers": [
        ("maria.garcia@example.com", "Thank you, the table makes it much clearer."),
        ("john.smith@example.com", "Should I measure on both arms?"),
    ],
    "when-is-a-fever-worth-a-visit": [
        ("amara.diallo@example.com", "I did not know that a fever with a stiff neck is urgent."),
    ],
    "type-2-diabetes-small-steps-that-help": [
        ("li.wei@example.com", "I will ask for the FINDRISC check at my appointment next week."),
        ("john.smith@example.com", "Swapping sugary drinks for water was easier than I thought."),
    ],
    "sleep-and-mood-what-the-evidence-says": [
        ("sofia.rossi@example.com", "No screens in the hour before bed has helped me fall asleep."),
    ],
}


def seed_blog() -> list[BlogPost]:
    posts = []
    for email, title, tags, body in ARTICLES:
        author = User.objects.filter(email__iexact=email).first()
        if author is None:
            continue
        post = BlogPost.objects.filter(title=title).first()
        if post is None:
            post = services.post_create(
                actor=author, title=title, body=body, tags=tags, status=PostStatus.PUBLISHED
            )
            for commenter_email, text in COMMENTS.get(slugify(title, allow_unicode=True), []):
                commenter = User.objects.filter(email__iexact=commenter_email).first()
                if commenter is not None:
                    services.comment_create(actor=commenter, post=post, body=text)
        posts.append(post)
    _seed_draft()
    return posts


DRAFT_AUTHOR = "dr.weber@clinic.example"
DRAFT = (
    "Winter and your joints: what helps",
    "Cold weather does not damage joints, but many people feel stiffer. Notes for a post:\n\n"
    "- keep moving every day\n- warm up before exercise\n- ask us before changing medicines\n",
)


def _seed_draft() -> None:
    """A draft by a demo author who also has published posts: their page shows both kinds."""
    author = User.objects.filter(email__iexact=DRAFT_AUTHOR).first()
    title, body = DRAFT
    if author is not None and not BlogPost.objects.filter(title=title).exists():
        services.post_create(actor=author, title=title, body=body, status=PostStatus.DRAFT)
