"""What people say in the demo workspace: the vocabulary of a fictional phone maker and two rivals.

Acme (Acme Phone 12, Acme Buds, the Acme Care app) and two competitors, Zenith Mobile and Nova
Devices. Every name, handle, company and post here is invented. Posts are put together from a
core line per (intent, topic) with optional openers, follow-ups, closers and hashtags, so a few
thousand mentions rarely repeat word for word.

Slots: {p} an Acme product, {c} a competitor, {q} a competitor's product, {n} a small number,
{ver} a firmware version, {agent} a support agent, {amount} a sum, {city} a city, {carrier} a carrier.
"""

from __future__ import annotations

BRAND = "Acme"
BRAND_ACCOUNTS = {"mastodon": "AcmeSupport@mastodon.social", "reddit": "Acme_Official", "bluesky": "acme.bsky.social",
                  "youtube": "AcmeMobile", "hackernews": "acme_eng"}  # fmt: skip
PRODUCTS = ("Acme Phone 12", "Acme Phone 12 Pro", "Acme Buds", "Acme Phone 11", "Acme Phone 12")
COMPETITORS = ("Zenith Mobile", "Nova Devices")
COMPETITOR_PRODUCTS = {"Zenith Mobile": ("Zenith Z5", "Zenith Pods"), "Nova Devices": ("Nova X", "Nova Tab")}
AGENTS = ("Priya", "Marcus", "Jen", "Tomás", "Aiko", "Sven")
CITIES = ("Leeds", "Austin", "Lyon", "Hamburg", "Toronto", "Melbourne", "Valencia", "Dublin")
CARRIERS = ("Vodafone", "T-Mobile", "O2", "Verizon", "Orange", "Telstra")
VERSIONS = ("12.1.4", "12.2.0", "12.2.1", "12.3 beta")
AMOUNTS = ("$9.99", "$49", "$129", "€79", "£19.99", "$899")

# Core lines by (intent, topic). The topic names the tag a strategist would give it.
LINES: dict[tuple[str, str], tuple[str, ...]] = {
    ("complaint", "battery"): (
        "My {p} battery dies before lunch. Fully charged at 7am, 12% by noon.",
        "battery life on the {p} after the {ver} update is terrible, went from 2 days to barely one",
        "{p} gets hot while charging and the battery drains fast. Almost too hot to hold.",
        "Battery health on my {p} is at 81% after {n} weeks. That can't be right.",
    ),
    ("complaint", "screen"): (
        "Green line down the middle of my {p} screen since this morning. Didn't drop it.",
        "The {p} screen flickers at low brightness. Noticed it in bed, now I can't unsee it.",
        "Screen protector from the Acme store bubbled after two days. {amount} for that?",
    ),
    ("complaint", "camera"): (
        "{p} camera app crashes every time I switch to video. Since {ver}.",
        "Photos on the {p} come out oversharpened, faces look like plastic. Fix the processing please.",
    ),
    ("complaint", "billing"): (
        "Acme charged me twice for the {p} and support keeps telling me to wait 5-7 days. It's been {n} days.",
        "Was charged {amount} for Acme Care+ that I cancelled in March. Still no refund.",
        "Wrong charge on my card from Acme: {amount} for a case I never ordered.",
    ),
    ("complaint", "refund"): (
        "Returned my {p} {n} days ago, Acme confirmed they received it, still no refund.",
        "Third time asking Acme about my refund. Every agent says something different.",
    ),
    ("complaint", "shipping"): (
        "Ordered the {p} {n} days ago, tracking hasn't moved since Tuesday. No response from Acme.",
        "my {p} arrived with a cracked screen. box was fine?? now I wait again for a replacement",
        "Acme says delivered. Nothing at my door in {city}. Courier says talk to Acme.",
    ),
    ("complaint", "support"): (
        "{n} minutes on hold with Acme support and then the call dropped. Fed up.",
        "Acme support closed my ticket without fixing anything. Worst support experience I've had.",
        "Chat support at Acme just pastes the same three answers. Is anyone actually reading?",
    ),
    ("complaint", "bug"): (
        "The Acme Care app won't load past the splash screen on Android 15. Reinstalled twice.",
        "Bluetooth keeps dropping between my {p} and the car. Never had this with my old {c} phone.",
        "Acme Care app crashes when I open the warranty page. Every single time.",
        "Since {ver} my {p} reboots randomly at night. Alarm didn't go off, late for work.",
    ),
    ("question", "battery"): (
        "Does the {p} support fast charging with a third-party 65W charger or do I need the Acme one?",
        "Is it normal for the {p} to lose 10% overnight with everything off?",
    ),
    ("question", "setup"): (
        "How do I move my WhatsApp chats from an iPhone to the {p}? The Acme Switch tool skips them.",
        "anyone know if the {p} works with eSIM on {carrier}?",
        "Can I turn off the always-on display on the {p}? Can't find it in settings",
        "How do I pair Acme Buds with two devices at once? Manual says it's possible but no steps.",
        "Does the {p} support wireless charging or only USB-C?",
    ),
    ("question", "billing"): (
        "Where can I find my invoice for the {p} order? Need it for work expenses.",
        "Does Acme Care+ renew automatically? Can't tell from the confirmation email.",
    ),
    ("question", "shipping"): (
        "When will the {p} ship to Canada? The site says 'coming soon' since June.",
        "Can I change the delivery address on an Acme order that already shipped?",
    ),
    ("question", "support"): (
        "Is there a way to book a repair for the {p} without going to a store? Nearest one is 2 hours away.",
        "What's the Acme warranty on a screen replacement, is it still 2 years in the EU?",
    ),
    ("question", "compare"): (
        "Thinking about switching from {c}. Is the {p} camera really better in low light or is it marketing?",
        "{p} or {q}? Mostly use it for photos and maps, budget isn't the issue.",
    ),
    ("praise", "support"): (
        "Shout-out to {agent} from Acme support who sorted my replacement in 10 minutes. That's how it's done.",
        "Honestly impressed: Acme support called me back when they said they would and fixed it.",
        "{agent} at the Acme store in {city} went above and beyond today. Thank you!",
    ),
    ("praise", "camera"): (
        "The night mode on the {p} is unreal. Took this at a concert with zero light and it looks like daytime.",
        "Portrait shots from the {p} are better than my old DSLR for most things. Love it.",
    ),
    ("praise", "battery"): (
        "Two days on a single charge with the {p}. Coming from a {c} phone this feels like magic.",
        "Battery on the {p} is great: 6 hours of maps on a road trip and still at 40%.",
    ),
    ("praise", "screen"): (
        "love my new {p}, the screen is gorgeous",
        "The {p} display outdoors in full sun is amazing. Readable at last.",
    ),
    ("praise", "general"): (
        "Three months with the {p} and honestly the best phone I've owned. No regrets switching.",
        "Acme Buds noise cancelling on the train is fantastic. Didn't expect that at this price.",
        "Ordered the {p} on Sunday night, it arrived Monday morning. Impressed, Acme.",
    ),
    ("suggestion", "feature"): (
        "Please add a dark mode to the Acme Care app. My eyes at 2am would thank you.",
        "Would be great if the {p} had a battery health screen like {c} has. Feature request!",
        "Acme, you should let us schedule do-not-disturb per app. It's the one thing I miss.",
        "Idea: let the Acme Buds auto-switch between phone and laptop. I'd love to see this in the next update.",
        "Please add a charge limit (80%) option to the {p}. Every other brand has one now.",
    ),
    ("other", "news"): (
        "Acme announces the {p} will get three more years of software updates.",
        "Acme and {c} are both rumoured to launch new foldables in the autumn.",
        "Acme opens a new repair centre in {city}, the company said on Tuesday.",
        "Acme firmware {ver} is rolling out with camera fixes and a new battery saver.",
    ),
    ("other", "compare"): (
        "Comparing the {p} and the {q} side by side: specs, prices and what we found after a week.",
        "{p} vs {q}: which one has the better screen? We measured both.",
    ),
    ("other", "spam"): (
        "FREE {p} GIVEAWAY!! click the link in bio and enter your card details to claim!!!",
        "We're hiring! Senior Android engineer at an Acme partner agency, remote OK, DM for details #jobs",
        "Cheap {p} wholesale, unlocked, best price, WhatsApp me +44 7700 900{n}",
        "Acme customer care number 1-888-555-01{n} call now for instant refund",
    ),
    ("other", "offtopic"): (
        "Watching old Road Runner cartoons with the kids. Every ACME product fails, every time. Timeless.",
        "acme.sh renewed all my Let's Encrypt certs again without me touching anything. Great little tool.",
        "Is the ACME protocol client in Caddy different from certbot's? Migrating a few servers.",
        "Acme Markets has strawberries on sale this week if anyone in the area cares",
    ),
}
# Competitor talk: (intent, text); {c} and {q} are the competitor and one of its products.
COMPETITOR_LINES: tuple[tuple[str, str], ...] = (
    ("complaint", "My {q} screen cracked from a 50cm drop. {c} wants $180 to fix it."),
    ("praise", "The {q} from {c} has been rock solid for a year, battery still great."),
    ("question", "Is the {q} worth it over the Acme Phone 12? Mostly use it for photos."),
    ("other", "{c} cuts the price of the {q} by 15% ahead of the holidays."),
    ("complaint", "{c} support took three weeks to answer my email about the {q}. Three weeks."),
    ("praise", "Switched to the {q} and the {c} app is so much cleaner than what I had before."),
    ("suggestion", "{c} should really add a headphone jack back to the {q}. Would buy in a second."),
    ("other", "Hands-on with the new {q}: {c} finally fixed the camera bump."),
)
# The outage day: the Acme Care app and accounts down for a few hours.
OUTAGE_LINES: tuple[tuple[str, str], ...] = (
    ("question", "Is Acme Care down for anyone else? Can't log in."),
    ("complaint", "Acme Care app: 'Something went wrong (503)'. For an hour now."),
    ("complaint", "Acme status page says all systems operational. They are not. Nothing syncs."),
    ("complaint", "Can't unlock my {p} backup, Acme account login fails. Great timing, Acme."),
    ("complaint", "Outage again?? Second time this month the Acme Care app is down."),
    ("question", "@Acme any ETA on the login outage? Need my warranty papers today."),
)
OPENERS = {
    "complaint": ("Ugh.", "PSA:", "Day {n} of this:", "Seriously, Acme?", "Rant incoming.", "Not happy."),
    "question": ("Quick question:", "Help please:", "Noob question:", "Hi all,", "Genuine question -"),
    "praise": ("Credit where it's due:", "Small thing but:", "Have to say it:", "Update:"),
    "suggestion": ("Dear Acme,", "Hey Acme team,", "Small wish:"),
}
FOLLOW_UPS = {
    "complaint": (
        "Tried restarting, resetting, everything.",
        "Support said it's a known issue but no date for a fix.",
        "Not the first time either.",
        "I paid {amount} for this.",
        "Anyone found a workaround?",
    ),
    "question": ("Thanks in advance!", "Couldn't find it in the FAQ.", "Any help appreciated."),
    "praise": ("Would recommend.", "Didn't expect that.", "Well done Acme."),
    "suggestion": ("Would pay for it.", "Fingers crossed for the next update.", "Am I the only one?"),
}
EMOJI = {"complaint": ("😤", "🙄", "😡", "🤦"), "praise": ("❤️", "👏", "😍", "🙌", "🔥"), "question": ("🤔",)}
HASHTAGS = ("#AcmePhone", "#Android", "#Acme", "#smartphones", "#AcmeCare", "#tech")
DETRACTOR_TAILS = (
    " Never again.",
    " Typical Acme.",
    " Done with this brand.",
    " Switching to {c} next time.",
)
ADVOCATE_TAILS = (" Love this brand.", " Keep it up Acme!", " Still the best phone out there.")

# Replies in threads, by the intent of the post they answer.
REPLIES: dict[str, tuple[tuple[str, str], ...]] = {
    "complaint": (
        ("complaint", "Same here, third one this month. Not buying Acme again."),
        ("complaint", "Happened to me too. Acme really needs to sort this out."),
        ("other", "Have you tried a factory reset? Fixed it for me."),
        ("question", "Which firmware version are you on? Mine only started after {ver}."),
        ("other", "Contact your bank and dispute it, that's what got my money back."),
    ),
    "question": (
        ("other", "Settings > Display > Always-on. Took me ages too."),
        ("other", "Yes, it does USB-PD up to 45W, any decent charger works."),
        ("question", "Following, same question."),
        ("other", "Works fine with {carrier} for me, had to ask the store to activate it."),
    ),
    "praise": (
        ("praise", "Agreed, mine has been great so far 👍"),
        ("question", "Nice! Is that the Pro or the regular one?"),
        ("other", "Give it a few months before you decide 😅"),
    ),
    "other": (
        ("other", "Interesting, thanks for sharing."),
        ("question", "Source?"),
        ("complaint", "Would be nice if they fixed the battery first."),
    ),
}
BRAND_REPLIES = (
    "Hi, sorry to hear that. Please DM us your order number and we'll take a look right away. ^{agent}",
    "Thanks for flagging this. Our team is on it: a fix is coming in {ver}. ^{agent}",
    "We're sorry for the wait. Could you send us your ticket number by DM? ^{agent}",
)
# Long-form pieces: several paragraphs (blog reviews, Reddit self-posts, App Store essays).
LONG_PARAGRAPHS = (
    "I've had the {p} for about {n} weeks now and wanted to write up my experience, because the reviews "
    "I read before buying were either glowing or furious and nothing in between.",
    "The good: the screen is excellent, the camera is genuinely great in daylight and very good at night, "
    "and the build feels more expensive than it is. Acme Buds pair instantly, which is nice.",
    "The bad: battery life has been all over the place since the {ver} update. Some days I finish with 40%, "
    "other days it's dead by 6pm with the same usage. Support's answer was to factory reset, which I did, "
    "and which changed nothing.",
    "The ugly: billing. I was charged twice for Acme Care+ and it took three chats and a phone call to get "
    "one refund. {agent} on the phone was lovely, to be fair, but the process is a mess.",
    "Compared with my old {q} the software is cleaner and updates come faster. I miss {c}'s battery "
    "health screen and the charge limit option, which Acme still doesn't have.",
    "Would I buy it again? Probably yes, but I'd wait for a sale and I'd keep the receipt handy.",
)
LANGUAGE_POSTS: tuple[tuple[str, str, str], ...] = (
    ("de", "complaint", "Mein {p} lädt seit dem Update nicht mehr richtig. Sehr enttäuschend."),
    ("de", "praise", "Die Kamera vom {p} ist wirklich super, bin begeistert!"),
    ("de", "question", "Weiß jemand, ob das {p} eSIM bei {carrier} unterstützt?"),
    ("de", "complaint", "Seit drei Wochen warte ich auf meine Erstattung von Acme. Unmöglich."),
    ("fr", "question", "Quelqu'un sait si le {p} est compatible avec la recharge sans fil ?"),
    (
        "fr",
        "complaint",
        "Toujours pas de remboursement après trois semaines. Service client Acme inexistant.",
    ),
    ("fr", "praise", "L'écran du {p} est magnifique, et la batterie tient deux jours. Bravo Acme !"),
    ("es", "praise", "El {p} tiene la mejor batería que he tenido en un móvil."),
    ("es", "question", "¿Alguien sabe cuándo llega la actualización para el {p}?"),
    ("es", "complaint", "Me cobraron dos veces el {p} y Acme no responde. Vergonzoso."),
)
TITLES = {
    "rss": ("{p} review: {hook}", "Acme {p} long-term test", "Acme news: {hook}", "{p} vs {q}: {hook}"),
    "hackernews": ("Acme {p} teardown: {hook}", "Ask HN: Anyone else having trouble with Acme Care?",
                   "Acme open-sources its phone bootloader", "Show HN: I reverse-engineered the Acme Buds protocol"),
    "reddit": ("{p} - {hook}", "[Help] {hook}", "Acme support experience thread", "PSA: {hook}"),
    "appstore": ("Keeps crashing", "Great companion app", "Needs work", "Love it", "Billing nightmare",
                 "Useless since the update", "Finally fixed!", "Does the job"),
    "stackexchange": ("How to {hook} on {p}?", "{p}: {hook}", "Why does my {p} {hook}?"),
}  # fmt: skip
HOOKS = ("the battery question", "six weeks later", "what nobody tells you", "worth the upgrade?",
         "screen flicker at low brightness", "disable always-on display", "stop random reboots",
         "lose charge overnight", "a surprisingly good camera", "billing problems")  # fmt: skip

FIRST_NAMES = (
    "Dana", "Lee", "Sam", "Priya", "Tom", "Aisha", "Marco", "Yuki", "Olu", "Freya", "Jonas", "Mei", "Carlos",
    "Ines", "Noah", "Zara", "Kwame", "Lena", "Ravi", "Sofia", "Ben", "Hana", "Luca", "Maya", "Omar", "Elif",
    "Grace", "Mateo", "Nadia", "Felix", "Chloe", "Arjun", "Ingrid", "Diego", "Amara", "Theo",
)  # fmt: skip
LAST_NAMES = (
    "Kim", "Okafor", "Müller", "Rossi", "Nguyen", "Silva", "Patel", "Johansson", "Dubois", "Haddad", "Tanaka",
    "Walsh", "Mensah", "García", "Novak", "Berg", "Chen", "Adeyemi", "Costa", "Fischer", "Moreau", "Byrne",
)  # fmt: skip
HANDLE_WORDS = ("tech", "pixel", "droid", "gadget", "byte", "retro", "night", "coffee", "code", "lens")
INFLUENCERS = (  # handle, display name, home kind, reach, mood
    ("techtalia", "Talia Reviews Tech", "youtube", 480_000, None),
    ("gadgetgus", "Gadget Gus", "mastodon", 62_000, "detractor"),
    ("thephonedesk", "The Phone Desk", "bluesky", 120_000, None),
    ("mkbrowne", "M. K. Browne", "reddit", 210_000, "advocate"),
    ("lenafischer", "Lena Fischer", "mastodon", 54_000, "detractor"),
    ("patio11fan", None, "hackernews", 75_000, None),
)
TECH_SITES = ("theverge.example", "androidworld.example", "techdaily.example", "phonearena.example",
              "gadgetblog.example", "news.google.example")  # fmt: skip
SUBREDDITS = ("Android", "AcmePhone", "PickAnAndroidForMe", "mobile", "techsupport")
SE_SITES = ("android.stackexchange.com", "superuser.com")
YOUTUBE_VIDEOS = ("dQ9xAcme12r", "Zk3vNightMd", "pR7buds2Rev", "hX0AcmeVsZ5", "b2Long12Pro")
