"""Name data the sandbox seeds its community from.

Deliberately international: the desktop client has to sort, search and render
names well beyond ASCII, so a good share of these are not.

Thread safety: module-level constants only; safe from any thread.
"""

from __future__ import annotations

from typing import NamedTuple

from desktop.domain import BadgeState

FIRST_NAMES: tuple[str, ...] = (
    "Maria", "John", "Wei", "Anna", "José", "Zoë", "Łukasz", "Søren", "Aisha", "Mohammed",
    "Olga", "Hiroshi", "Yuki", "Priya", "Rahul", "Fatima", "Chloé", "Björn", "Åsa", "Jürgen",
    "François", "Inés", "Nguyễn Văn", "Thảo", "Sigríður", "Ólafur", "Gunnar", "Ingrid", "Mateo",
    "Lucía", "Sofía", "Camila", "Diego", "Emma", "Liam", "Noah", "Olivia", "Ava", "Elijah",
    "Amelia", "Oliver", "Charlotte", "James", "Mia", "Benjamin", "Harper", "Lucas", "Evelyn",
    "Henry", "Abigail", "Alexander", "Ella", "Daniel", "Grace", "Michael", "Chidi", "Ngozi",
    "Kwame", "Amara", "Tendai", "Thandiwe", "Kofi", "Zanele", "Ahmet", "Elif", "Mehmet", "Zeynep",
    "Dmitri", "Natasha", "Piotr", "Małgorzata", "Agnieszka", "Krzysztof", "Tomáš", "Kateřina",
    "Jiří", "Ágnes", "Zoltán", "Réka", "Ioana", "Andrei", "Siobhán", "Pádraig", "Niamh", "Seán",
    "Gwenaëlle", "Maëlle", "Loïc", "Noël", "Renée", "Ximena", "João", "Conceição", "Gonçalo",
    "Mårten", "Eiríkur", "Þóra", "Dagný", "Ævar", "Øystein", "Ragnhild", "Hanne", "Jesper",
    "Sakura", "Haruto", "Minjun", "Seo-yeon", "Ji-ho", "Arjun", "Ananya", "Vikram", "Deepika",
    "Linh", "Minh", "Hương", "Tuấn", "Kalani", "Mele", "Tāne", "Aroha", "Wiremu", "Yerlan",
    "Aigerim", "Nodir", "Dilnoza", "Omar", "Layla", "Yusuf", "Noor", "Tariq", "Salma",
    "李", "王", "张", "Иван", "Мария", "Алексей", "Ольга", "Ярослав", "Σοφία", "Γιώργος",
    "Δημήτρης", "דוד", "שרה", "محمد", "فاطمة", "Ģirts", "Līga", "Aušra", "Jonas", "Mihkel",
)

LAST_NAMES: tuple[str, ...] = (
    "Garcia", "Smith", "Zhang", "Müller", "Nguyễn", "Ólafsdóttir", "Kowalski", "Wiśniewska",
    "Jørgensen", "Ærøskøbing", "Søndergaard", "Lindqvist", "Åkesson", "Öztürk", "Yılmaz", "Çelik",
    "Şahin", "Dvořák", "Novák", "Horváth", "Szabó", "Popescu", "Ionescu", "O'Brien", "Ó Súilleabháin",
    "MacLeod", "Fernández", "González", "Rodríguez", "Martínez", "López", "Pérez", "Sánchez",
    "Peña", "Ibáñez", "Gonçalves", "Araújo", "Conceição", "Lefèvre", "Dubois", "Bélanger",
    "Gagné", "Côté", "Schäfer", "Weiß", "Groß", "Köhler", "Brandt", "Johansson", "Andersson",
    "Nieminen", "Mäkinen", "Virtanen", "Sigurðsson", "Guðmundsdóttir", "Þórsson", "Johnson",
    "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas",
    "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
    "Robinson", "Walker", "Young", "Allen", "King", "Okafor", "Adeyemi", "Mensah", "Mwangi",
    "Dlamini", "Nkosi", "Abebe", "Haddad", "Khalil", "Mansour", "Rahman", "Hussain", "Khan",
    "Patel", "Sharma", "Iyer", "Reddy", "Banerjee", "Tanaka", "Suzuki", "Satō", "Itō",
    "Watanabe", "Kim", "Park", "Choi", "Trần", "Lê", "Phạm", "Hoàng", "Wang", "Li", "Chen",
    "Liu", "Huang", "Kuznetsov", "Ivanova", "Petrov", "Smirnova", "Papadopoulos", "Nakamura",
    "Te Rangi", "Kahananui", "Nurlanov", "Karimova", "Bērziņš", "Kazlauskas", "Tamm", "Saar",
    "李", "王", "Иванов", "Петрова", "Παπαδόπουλος", "כהן", "الحسن",
)

#: Romanisations for names whose letters do not decompose to ASCII, so every
#: member still gets a typeable username.
ROMANISED: dict[str, str] = {
    "李": "li", "王": "wang", "张": "zhang", "Иван": "ivan", "Мария": "mariya",
    "Алексей": "aleksei", "Ольга": "olga", "Ярослав": "yaroslav", "Σοφία": "sofia",
    "Γιώργος": "giorgos", "Δημήτρης": "dimitris", "דוד": "david", "שרה": "sarah",
    "محمد": "muhammad", "فاطمة": "fatima", "Иванов": "ivanov", "Петрова": "petrova",
    "Παπαδόπουλος": "papadopoulos", "כהן": "cohen", "الحسن": "alhassan", "Ærøskøbing": "aeroskobing",
    "Ævar": "aevar", "Þóra": "thora", "Þórsson": "thorsson", "Sigurðsson": "sigurdsson",
    "Guðmundsdóttir": "gudmundsdottir", "Weiß": "weiss", "Groß": "gross", "Søren": "soren",
    "Søndergaard": "sondergaard", "Jørgensen": "jorgensen", "Øystein": "oystein", "Łukasz": "lukasz",
    "Małgorzata": "malgorzata",
}

#: Display names that several members share, so the client must tell people
#: apart by more than their name.
COMMON_DISPLAY_NAMES: tuple[str, ...] = ("Maria Garcia", "John Smith", "Maria Garcia", "Wei Zhang")

EMAIL_DOMAINS: tuple[str, ...] = (
    "example.com", "example.org", "mail.example.net", "Example.COM", "posteo.example",
    "uni-example.edu", "community.example", "correo.example.es", "web.example.de", "post.example.dk",
)

GROUPS: tuple[str, ...] = ("staff", "speakers", "admins", "translators", "mentors")

MODERATORS: tuple[str, ...] = (
    "Alice Moderator", "Bob Moderator", "Carmen Ruiz", "Dağhan Aydın", "Eun-ji Seo", "system",
)

AWARD_REASONS: tuple[str, ...] = (
    "", "", "Nominated by the community team.", "Verified from the event attendee list.",
    "Thanks for all your help in the forums!", "Imported from the legacy badge system.",
    "Automatic award: criteria met.", "Requested and approved.", "Great talk — thank you!",
    "Verified certificate on file.", "Requested by the member; evidence checked.",
)

DECISION_REASONS: tuple[str, ...] = (
    "Evidence checked, thanks!", "Could not verify the certificate; please attach it.",
    "Not eligible yet: see the criteria.", "Duplicate request.", "Approved after review.",
    "Please add a link to the talk recording.",
)

AWARD_MESSAGES: tuple[str, ...] = (
    "Congratulations {member}! You have earned the {badge} badge in {community}.",
    "Hi {member}, the {community} team has awarded you {badge}. Well deserved!",
    "{member}, thank you for everything you do for {community}: here is your {badge} badge.",
    "You did it, {member} — {badge} is now on your {community} profile.",
    "Dear {member}, on behalf of {community} we are happy to award you the {badge} badge.",
)

REQUEST_NOTES: tuple[str, ...] = (
    "I spoke at the spring meetup, slides attached.",
    "I passed the certification exam last week.",
    "I have been a member since the very first release.",
    "I translated the getting-started guide into Polish.",
    "Attended both days of the conference — ticket confirmation linked.",
    "Could you check my forum answers? I think I qualify.",
    "Hola, adjunto el certificado. ¡Gracias!",
    "Ich habe beim Hackathon mitgemacht und unser Team hat gewonnen.",
    "I organised our local user group for two years.",
    "Please see my pull requests — 25 merged so far.",
    "",
    "Asking again since my previous request got lost.",
    "我参加了2025年的开发者大会。",
    "Я выступал на конференции с докладом о безопасности.",
)

EVIDENCE_URLS: tuple[str, ...] = (
    "https://example.com/slides/{n}",
    "https://certs.example.org/verify/{n}",
    "https://forum.example.com/u/{n}/activity",
    "https://git.example.net/pulls?author={n}",
    "https://events.example.com/tickets/{n}",
)


class BadgeSpec(NamedTuple):
    slug: str
    title: str
    description: str
    criteria: str
    tier: str
    category: str
    state: BadgeState
    #: Relative share of members who hold it; popular badges have many holders.
    popularity: float


_P = BadgeState.PUBLISHED
_DIS = BadgeState.DISABLED
_DISC = BadgeState.DISCONTINUED
_DRAFT = BadgeState.DRAFT

BADGES: tuple[BadgeSpec, ...] = (
    BadgeSpec("welcome", "Welcome", "Joined the community and completed the profile.",
              "Fill in your profile and introduce yourself.", "bronze", "community", _P, 40.0),
    BadgeSpec("first-post", "First Post", "Wrote a first post in the forums.",
              "Post once in any forum category.", "bronze", "community", _P, 30.0),
    BadgeSpec("helpful", "Helpful", "Answers that other members marked as helpful.",
              "Five answers marked helpful.", "bronze", "community", _P, 18.0),
    BadgeSpec("very-helpful", "Very Helpful", "A reliable source of good answers.",
              "Fifty answers marked helpful.", "silver", "community", _P, 6.0),
    BadgeSpec("guru", "Guru", "One of the community's most helpful members.",
              "Five hundred answers marked helpful.", "gold", "community", _P, 0.8),
    BadgeSpec("one-year-club", "One Year Club", "Member for a year.",
              "Account older than one year.", "bronze", "tenure", _P, 22.0),
    BadgeSpec("five-year-club", "Five Year Club", "Member for five years.",
              "Account older than five years.", "silver", "tenure", _P, 9.0),
    BadgeSpec("ten-year-club", "Ten Year Club", "Member for ten years — thank you for staying.",
              "Account older than ten years.", "gold", "tenure", _P, 1.5),
    BadgeSpec("conference-speaker", "Conference Speaker", "Gave a talk at an official conference.",
              "Speak at DevCon or a regional conference; link the recording.", "gold", "events", _P, 1.2),
    BadgeSpec("meetup-speaker", "Meetup Speaker", "Gave a talk at a local meetup.",
              "Speak at a registered local meetup.", "silver", "events", _P, 2.5),
    BadgeSpec("lightning-talk", "Lightning Talk", "Gave a five-minute lightning talk.",
              "Any lightning talk at a community event.", "bronze", "events", _P, 3.0),
    BadgeSpec("devcon-2023-attendee", "DevCon 2023 Attendee", "Attended DevCon 2023 in Lisbon.",
              "Checked in at DevCon 2023.", "bronze", "events", _DISC, 4.0),
    BadgeSpec("devcon-2024-attendee", "DevCon 2024 Attendee", "Attended DevCon 2024 in Kraków.",
              "Checked in at DevCon 2024.", "bronze", "events", _DISC, 4.5),
    BadgeSpec("devcon-2025-attendee", "DevCon 2025 Attendee", "Attended DevCon 2025 in Reykjavík.",
              "Checked in at DevCon 2025.", "bronze", "events", _P, 5.0),
    BadgeSpec("devcon-2026-attendee", "DevCon 2026 Attendee", "Attends DevCon 2026 in Nairobi.",
              "Check in at DevCon 2026.", "bronze", "events", _DRAFT, 0.0),
    BadgeSpec("hackathon-participant", "Hackathon Participant", "Took part in a community hackathon.",
              "Submit a project at any hackathon.", "bronze", "events", _P, 3.5),
    BadgeSpec("hackathon-winner", "Hackathon Winner", "Was on a winning hackathon team.",
              "Place first, second or third at a hackathon.", "gold", "events", _P, 0.4),
    BadgeSpec("certified-user", "Certified User", "Passed the user certification exam.",
              "Pass the user exam; attach the certificate.", "bronze", "certification", _P, 7.0),
    BadgeSpec("certified-admin", "Certified Admin", "Passed the administrator certification exam.",
              "Pass the admin exam; attach the certificate.", "silver", "certification", _P, 2.0),
    BadgeSpec("certified-architect", "Certified Architect", "Passed the architect certification.",
              "Pass the architect exam and the design review.", "gold", "certification", _P, 0.5),
    BadgeSpec("certified-admin-2019", "Certified Admin (2019 exam)", "Passed the retired 2019 admin exam.",
              "No longer available; replaced by Certified Admin.", "silver", "certification", _DISC, 1.0),
    BadgeSpec("mvp", "MVP", "Most Valuable Professional, chosen by the community team each year.",
              "Nominated and selected by the MVP committee.", "gold", "recognition", _P, 0.3),
    BadgeSpec("mvp-alumni", "MVP Alumni", "Former MVP.",
              "Held MVP for at least one year.", "silver", "recognition", _P, 0.5),
    BadgeSpec("community-hero", "Community Hero", "Went far beyond what anyone asked.",
              "Nominated by three members and approved by staff.", "gold", "recognition", _P, 0.2),
    BadgeSpec("rising-star", "Rising Star", "A newcomer making a big difference.",
              "Joined this year and already very active.", "silver", "recognition", _P, 1.0),
    BadgeSpec("bug-hunter", "Bug Hunter", "Reported a confirmed bug.",
              "One confirmed bug report.", "bronze", "contribution", _P, 6.0),
    BadgeSpec("bug-squasher", "Bug Squasher", "Fixed confirmed bugs.",
              "Five merged bug fixes.", "silver", "contribution", _P, 1.5),
    BadgeSpec("first-contribution", "First Contribution", "First merged pull request.",
              "One merged pull request.", "bronze", "contribution", _P, 5.0),
    BadgeSpec("core-contributor", "Core Contributor", "Sustained code contributions.",
              "Twenty-five merged pull requests.", "gold", "contribution", _P, 0.4),
    BadgeSpec("docs-writer", "Docs Writer", "Improved the documentation.",
              "Three merged documentation changes.", "bronze", "contribution", _P, 3.0),
    BadgeSpec("translator", "Translator", "Translated documentation or the interface.",
              "Translate 500 strings or one guide.", "silver", "contribution", _P, 2.0),
    BadgeSpec("reviewer", "Reviewer", "Reviewed other people's pull requests.",
              "Twenty reviews.", "silver", "contribution", _P, 1.2),
    BadgeSpec("security-researcher", "Security Researcher", "Responsibly disclosed a vulnerability.",
              "A confirmed security report.", "gold", "contribution", _P, 0.15),
    BadgeSpec("mentor", "Mentor", "Mentored newcomers.",
              "Mentor three newcomers through their first contribution.", "silver", "community", _P, 0.8),
    BadgeSpec("meetup-organiser", "Meetup Organiser", "Runs a local user group.",
              "Organise at least four meetups a year.", "silver", "events", _P, 0.6),
    BadgeSpec("volunteer", "Volunteer", "Volunteered at a community event.",
              "Help at the registration desk, a booth or a workshop.", "bronze", "events", _P, 2.0),
    BadgeSpec("workshop-host", "Workshop Host", "Ran a hands-on workshop.",
              "Host a workshop at an official event.", "silver", "events", _P, 0.7),
    BadgeSpec("beta-tester", "Beta Tester", "Tested pre-release versions.",
              "Report feedback on a beta.", "bronze", "contribution", _P, 4.0),
    BadgeSpec("early-adopter", "Early Adopter", "Joined during the first year of the community.",
              "Account created in the first year.", "silver", "tenure", _DISC, 2.0),
    BadgeSpec("founding-member", "Founding Member", "One of the very first members.",
              "Among the first hundred accounts.", "gold", "tenure", _DISC, 0.05),
    BadgeSpec("streak-30", "30-Day Streak", "Visited thirty days in a row.",
              "Thirty consecutive days of activity.", "bronze", "activity", _P, 10.0),
    BadgeSpec("streak-365", "365-Day Streak", "Visited every day for a year.",
              "A year of daily activity.", "gold", "activity", _P, 0.3),
    BadgeSpec("night-owl", "Night Owl", "Posted between midnight and 4 a.m. ten times.",
              "Retired because it encouraged unhealthy habits.", "bronze", "activity", _DIS, 3.0),
    BadgeSpec("popular-post", "Popular Post", "A post with 100 likes.",
              "One post liked 100 times.", "silver", "activity", _P, 2.5),
    BadgeSpec("famous-post", "Famous Post", "A post with 1,000 likes.",
              "One post liked 1,000 times.", "gold", "activity", _P, 0.2),
    BadgeSpec("storyteller", "Storyteller", "Wrote a blog post for the community blog.",
              "One published guest post.", "silver", "content", _P, 0.8),
    BadgeSpec("video-creator", "Video Creator", "Published a tutorial video.",
              "One tutorial video linked from the docs.", "silver", "content", _P, 0.5),
    BadgeSpec("podcast-guest", "Podcast Guest", "Appeared on the community podcast.",
              "Be a guest on an episode.", "silver", "content", _P, 0.2),
    BadgeSpec("swag-winner", "Swag Winner", "Won the monthly swag raffle.",
              "Raffles ended in 2022.", "bronze", "fun", _DIS, 1.5),
    BadgeSpec("april-fools", "April Fool", "Found the 2021 April Fools' easter egg.",
              "Seasonal badge, no longer awarded.", "bronze", "fun", _DISC, 2.0),
    BadgeSpec("photo-contest", "Photo Contest Winner", "Won the DevCon photo contest.",
              "Best photo, chosen by vote.", "silver", "fun", _DIS, 0.1),
    BadgeSpec("staff", "Staff", "Member of the community team.",
              "Employed by the foundation.", "gold", "roles", _P, 0.05),
    BadgeSpec("moderator", "Moderator", "Keeps the forums friendly.",
              "Appointed by staff.", "gold", "roles", _P, 0.08),
    BadgeSpec("ambassador", "Ambassador", "Represents the community in their region.",
              "Appointed yearly; report your activities.", "silver", "roles", _P, 0.3),
    BadgeSpec("ambassador-2022", "Ambassador 2022", "Regional ambassador in 2022.",
              "Replaced by the yearly Ambassador badge.", "silver", "roles", _DISC, 0.2),
    BadgeSpec("supporter", "Supporter", "Donated to the foundation.",
              "Any donation.", "bronze", "support", _P, 4.0),
    BadgeSpec("sponsor", "Sponsor", "Sponsored the foundation for a year.",
              "Twelve months of sponsorship.", "gold", "support", _P, 0.3),
    BadgeSpec("accessibility-champion", "Accessibility Champion", "Improved accessibility.",
              "Three merged accessibility fixes or an audit.", "silver", "contribution", _P, 0.3),
    BadgeSpec("green-thumb", "Green Thumb", "Planted a tree at the DevCon 2025 forest project.",
              "Draft: waiting for the partner's list.", "bronze", "events", _DRAFT, 0.0),
    BadgeSpec("legacy-karma-1000", "Karma 1000 (legacy)", "1,000 karma in the old forum software.",
              "Migrated from the old forum; cannot be earned any more.", "silver", "legacy", _DIS, 2.5),
)
