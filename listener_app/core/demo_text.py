"""What people say in the demo workspace: templates for a fictional phone maker and its rivals.

Acme (Acme Phone 12, Acme Buds, the Acme Care app) and two competitors, Zenith Mobile and Nova
Devices. Every name, handle and post here is invented.
"""

from __future__ import annotations

BRAND = "Acme"
PRODUCTS = ("Acme Phone 12", "Acme Phone 12 Pro", "Acme Buds", "the Acme Care app", "Acme Phone 11")
COMPETITORS = ("Zenith Mobile", "Nova Devices")
COMPETITOR_PRODUCTS = {"Zenith Mobile": ("Zenith Z5", "Zenith Pods"), "Nova Devices": ("Nova X", "Nova Tab")}

# (intent, topic, tag or None, text). {p} is a product, {c} a competitor, {n} a number.
TEMPLATES: tuple[tuple[str, str, str | None, str], ...] = (
    (
        "complaint",
        "battery",
        "battery",
        "My {p} battery dies before lunch. Fully charged at 7am, 12% by noon. This is not normal.",
    ),
    (
        "complaint",
        "battery",
        "battery",
        "battery life on the {p} after the last update is terrible 😤 went from 2 days to barely one",
    ),
    (
        "complaint",
        "battery",
        "battery",
        "Anyone else's {p} getting hot while charging? Mine is almost too hot to hold and the battery drains fast",
    ),
    (
        "complaint",
        "billing",
        "billing",
        "Acme charged me twice for the {p} and support keeps telling me to wait 5-7 days. It's been {n} days. I want my refund.",
    ),
    (
        "complaint",
        "billing",
        "billing",
        "Was charged $9.99 for Acme Care+ that I cancelled in March. Still no refund. Not happy.",
    ),
    (
        "complaint",
        "shipping",
        "shipping",
        "Ordered the {p} {n} days ago, tracking hasn't moved since Tuesday. Still waiting, no response from Acme.",
    ),
    (
        "complaint",
        "shipping",
        "shipping",
        "my {p} arrived with a cracked screen. box was fine?? now I have to wait again for a replacement",
    ),
    (
        "complaint",
        "support",
        "support",
        "{n} minutes on hold with Acme support and then the call dropped. Fed up.",
    ),
    (
        "complaint",
        "support",
        "support",
        "Acme support closed my ticket without fixing anything. Worst support experience I've had with any phone brand.",
    ),
    (
        "complaint",
        "bug",
        "bug",
        "{p} keeps crashing every time I open the camera since the update. Please fix this.",
    ),
    (
        "complaint",
        "bug",
        "bug",
        "The Acme Care app won't load past the splash screen on Android 15. Reinstalled twice. Useless.",
    ),
    (
        "complaint",
        "bug",
        "bug",
        "Bluetooth keeps dropping between my {p} and the car. Never had this with my old {c} phone.",
    ),
    (
        "question",
        "battery",
        "battery",
        "Does the {p} support fast charging with a third-party 65W charger or do I need the Acme one?",
    ),
    (
        "question",
        "setup",
        None,
        "How do I move my WhatsApp chats from an iPhone to the {p}? The Acme Switch tool skips them.",
    ),
    ("question", "setup", None, "anyone know if the {p} works with eSIM on Vodafone?"),
    (
        "question",
        "billing",
        "billing",
        "Where can I find my invoice for the {p} order? Need it for work expenses.",
    ),
    (
        "question",
        "shipping",
        "shipping",
        "When will the {p} ship to Canada? The site says 'coming soon' since June.",
    ),
    (
        "question",
        "support",
        "support",
        "Is there a way to book a repair for the {p} without going to a store? Nearest one is 2 hours away.",
    ),
    (
        "question",
        "compare",
        None,
        "Thinking about switching from {c}. Is the {p} camera really better in low light or is it marketing?",
    ),
    ("question", "setup", None, "Can I turn off the always-on display on the {p}? Can't find it in settings"),
    (
        "praise",
        "support",
        "praise",
        "Shout-out to Priya from Acme support who sorted my replacement in 10 minutes. That's how it's done 👏",
    ),
    (
        "praise",
        "camera",
        "praise",
        "The night mode on the {p} is unreal. Took this at a concert with zero light and it looks like daytime 😍",
    ),
    (
        "praise",
        "battery",
        "praise",
        "Two days on a single charge with the {p}. Coming from a {c} phone this feels like magic.",
    ),
    (
        "praise",
        "general",
        "praise",
        "Three months with the {p} and honestly the best phone I've owned. No regrets switching.",
    ),
    (
        "praise",
        "shipping",
        "praise",
        "Ordered the {p} on Sunday night, it arrived Monday morning. Impressed, Acme.",
    ),
    ("praise", "general", "praise", "love my new {p} ❤️ the screen is gorgeous"),
    (
        "suggestion",
        "feature",
        "feature-request",
        "Please add a dark mode to the Acme Care app. My eyes at 2am would thank you.",
    ),
    (
        "suggestion",
        "feature",
        "feature-request",
        "Would be great if the {p} had a battery health screen like {c} has. Feature request!",
    ),
    (
        "suggestion",
        "feature",
        "feature-request",
        "Acme, you should let us schedule do-not-disturb per app. It's the one thing I miss.",
    ),
    (
        "suggestion",
        "feature",
        "feature-request",
        "Idea: let the Acme Buds auto-switch between phone and laptop. I'd love to see this in the next update.",
    ),
    ("other", "news", None, "Acme announces the {p} will get three more years of software updates."),
    ("other", "news", None, "Acme and {c} are both rumoured to launch new foldables in the autumn."),
    (
        "other",
        "compare",
        None,
        "Comparing the {p} and the {c} flagship side by side: specs, prices and what we found after a week.",
    ),
    ("other", "news", None, "Acme opens a new repair centre in Leeds, the company said on Tuesday."),
    (
        "other",
        "spam",
        "spam",
        "🔥 FREE {p} GIVEAWAY 🔥 click the link in bio and enter your card details to claim!!!",
    ),
    (
        "other",
        "spam",
        "spam",
        "We're hiring! Senior Android engineer at Acme partner agency, remote OK, DM for details #jobs",
    ),
)

COMPETITOR_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("complaint", "My {q} screen cracked from a 50cm drop. {c} wants $180 to fix it."),
    ("praise", "The {q} from {c} has been rock solid for a year, battery still great."),
    ("question", "Is the {q} worth it over the Acme Phone 12? Mostly use it for photos."),
    ("other", "{c} cuts the price of the {q} by 15% ahead of the holidays."),
    ("complaint", "{c} support took three weeks to answer my email about the {q}. Three weeks."),
    ("praise", "Switched to the {q} and the {c} app is so much cleaner than what I had before."),
)

REPLIES: tuple[tuple[str, str], ...] = (
    ("question", "Same here, did you ever get an answer?"),
    ("complaint", "Happened to me too. Acme really needs to sort this out."),
    ("other", "Have you tried a factory reset? Fixed it for me."),
    ("praise", "Agreed, mine has been great so far 👍"),
    ("question", "Which firmware version are you on?"),
    ("complaint", "Same problem, third one this month. Not buying Acme again."),
)

LANGUAGE_POSTS: tuple[tuple[str, str, str], ...] = (
    ("de", "complaint", "Mein {p} lädt seit dem Update nicht mehr richtig. Sehr enttäuschend."),
    ("de", "praise", "Die Kamera vom {p} ist wirklich super, bin begeistert!"),
    ("fr", "question", "Quelqu'un sait si le {p} est compatible avec la recharge sans fil ?"),
    (
        "fr",
        "complaint",
        "Toujours pas de remboursement après trois semaines. Service client Acme inexistant.",
    ),
    ("es", "praise", "El {p} tiene la mejor batería que he tenido en un móvil."),
    ("es", "question", "¿Alguien sabe cuándo llega la actualización para el {p}?"),
)

FIRST_NAMES = (
    "Dana", "Lee", "Sam", "Priya", "Tom", "Aisha", "Marco", "Yuki", "Olu", "Freya", "Jonas", "Mei", "Carlos",
    "Ines", "Noah", "Zara", "Kwame", "Lena", "Ravi", "Sofia", "Ben", "Hana", "Luca", "Maya", "Omar", "Elif",
)  # fmt: skip
LAST_NAMES = (
    "Kim", "Okafor", "Müller", "Rossi", "Nguyen", "Silva", "Patel", "Johansson", "Dubois", "Haddad", "Tanaka",
    "Walsh", "Mensah", "García", "Novak", "Berg", "Chen", "Adeyemi", "Costa", "Fischer",
)  # fmt: skip
TECH_SITES = (
    "theverge.example",
    "androidworld.example",
    "techdaily.example",
    "phonearena.example",
    "gadgetblog.example",
)
SUBREDDITS = ("Android", "AcmePhone", "PickAnAndroidForMe", "mobile", "techsupport")
SE_SITES = ("android.stackexchange.com", "superuser.com")
