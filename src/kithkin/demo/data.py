"""The words a demo network is made of: names, organizations, titles, places, topics and
the sentences people write about each other. Every address is on a reserved domain
(``.example``, example.com, example.org) so nothing generated can reach a real mailbox.

Placeholders in templates: ``{first}`` (the person's first name), ``{topic}``, ``{org}``
(their current organization), ``{names}`` (everyone in a group interaction).
"""

from __future__ import annotations

from typing import Final

# fmt: off
# Word lists read best packed; the formatter would put one word per line.

GIVEN_NAMES: Final = (
    # English-speaking world
    "Olivia", "James", "Amelia", "Noah", "Charlotte", "Liam", "Grace", "Henry", "Harriet", "Oscar",
    "Ruth", "Theo", "Molly", "Callum", "Imogen", "Declan",
    # Romance languages
    "Lucía", "Mateo", "Sofía", "Diego", "Camille", "Julien", "Chloé", "Mathis", "Giulia", "Lorenzo",
    "Chiara", "Matteo", "Inês", "João", "Beatriz", "Tiago", "Élodie", "Valentina",
    # Germanic and Nordic
    "Lena", "Jonas", "Anneliese", "Felix", "Freya", "Lars", "Ingrid", "Søren", "Astrid", "Björn",
    "Sanne", "Daan", "Maartje", "Jens",
    # Slavic and Baltic
    "Katarzyna", "Piotr", "Zofia", "Tomasz", "Anastasia", "Dmitri", "Ivana", "Marek", "Jana",
    "Luka", "Milena", "Aleksander", "Rūta",
    # Greek, Turkish, Middle East
    "Eleni", "Nikos", "Zeynep", "Emre", "Leyla", "Omar", "Yasmin", "Karim", "Layla", "Tariq",
    "Noor", "Dalia", "Yael", "Avi", "Shira", "Darius", "Parisa",
    # South Asia
    "Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Sanjay", "Aisha", "Imran",
    "Nandini", "Rahul", "Tanvir", "Farzana", "Dilini", "Kasun",
    # East and South-East Asia
    "Mei", "Wei", "Xiaoling", "Jun", "Haruto", "Yui", "Kenji", "Sakura", "Minjun", "Seoyeon",
    "Jisoo", "Hyunwoo", "Linh", "Minh", "Thao", "Anh", "Siti", "Rizal", "Maria", "Paolo",
    # Africa
    "Amara", "Chidi", "Ngozi", "Tunde", "Adaeze", "Kwame", "Akosua", "Kofi", "Wanjiru", "Otieno",
    "Zanele", "Thabo", "Nomvula", "Sipho", "Fatoumata", "Moussa", "Aminata", "Selam", "Dawit",
    "Hana",
    # The Americas
    "Ximena", "Santiago", "Camila", "Joaquín", "Renata", "Thiago", "Larissa", "Gabriel", "Itzel",
    "Emilio", "Daniela", "Andrés", "Keanu", "Leilani", "Tala", "Dakota",
)

FAMILY_NAMES: Final = (
    "Smith", "Okafor", "Nguyen", "García", "Müller", "Rossi", "Kowalski", "Tanaka", "Kim", "Patel",
    "Haddad", "Cohen", "Johansson", "Dubois", "Silva", "Ivanova", "Papadopoulos", "Yılmaz",
    "Mensah", "Mwangi", "Dlamini", "Diallo", "Tesfaye", "Hernández", "López", "Martínez",
    "Fernandes", "Oliveira", "Santos", "Costa", "Moreau", "Laurent", "Lefèvre", "Bianchi", "Romano",
    "Esposito", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Van der Berg", "De Vries",
    "Jansen", "Nielsen", "Hansen", "Lindqvist", "Andersson", "Virtanen", "Korhonen", "Nowak",
    "Wiśniewska", "Novák", "Horvat", "Popescu", "Petrov", "Sokolova", "Kuznetsov", "Georgiou",
    "Demir", "Kaya", "Aziz", "Rahman", "Hussain", "Khan", "Sharma", "Iyer", "Reddy", "Menon",
    "Chatterjee", "Gupta", "Singh", "Das", "Perera", "Fernando", "Chen", "Wang", "Li", "Zhang",
    "Liu", "Huang", "Lin", "Wong", "Chan", "Sato", "Suzuki", "Watanabe", "Yamamoto", "Park", "Lee",
    "Choi", "Jung", "Tran", "Pham", "Le", "Santoso", "Wijaya", "Reyes", "Cruz", "Bautista",
    "Adeyemi", "Okonkwo", "Eze", "Abubakar", "Owusu", "Boateng", "Asante", "Kamau", "Otieno",
    "Njoroge", "Nkosi", "Mahlangu", "Traoré", "Keita", "Bekele", "Girma", "Ramírez", "Torres",
    "Flores", "Vargas", "Castillo", "Morales", "Rojas", "Álvarez", "Mendoza", "Ortiz", "Pereira",
    "Carvalho", "Almeida", "O'Brien", "Murphy", "Walsh", "MacDonald", "Campbell", "Evans", "Hughes",
    "Bennett", "Clarke", "Patterson", "Brooks", "Foster", "Kealoha", "Begay", "Yazzie",
    "Whitehorse", "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Ahmed",
)

# (name, domain, kind): the organizations a demo network starts with.
ORGANIZATIONS: Final = (
    ("Northwind Analytics", "northwind-analytics.example", "company"),
    ("Bluefin Robotics", "bluefin-robotics.example", "company"),
    ("Quillstone Publishing", "quillstone.example", "company"),
    ("Harbourlight Health", "harbourlight-health.example", "company"),
    ("Copperleaf Energy", "copperleaf-energy.example", "company"),
    ("Tessellate Design", "tessellate.example", "company"),
    ("Meridian Payments", "meridian-payments.example", "company"),
    ("Larkspur Labs", "larkspur-labs.example", "company"),
    ("Ironbark Logistics", "ironbark-logistics.example", "company"),
    ("Saltmarsh Studios", "saltmarsh-studios.example", "company"),
    ("Fernhill Ventures", "fernhill-ventures.example", "company"),
    ("Brightwater Software", "brightwater.example", "company"),
    ("Kestrel Security", "kestrel-security.example", "company"),
    ("Juniper & Vale", "juniper-vale.example", "company"),
    ("Orchard Cloud", "orchard-cloud.example", "company"),
    ("Pinecone Data", "pinecone-data.example", "company"),
    ("Redshank Biotech", "redshank-bio.example", "company"),
    ("Silverline Media", "silverline-media.example", "company"),
    ("Tidewater Consulting", "tidewater-consulting.example", "company"),
    ("Umbra Games", "umbra-games.example", "company"),
    ("Verdant Foods", "verdant-foods.example", "company"),
    ("Wrenfield Capital", "wrenfield-capital.example", "company"),
    ("Yarrow Insurance", "yarrow-insurance.example", "company"),
    ("Zephyr Mobility", "zephyr-mobility.example", "company"),
    ("Aldergrove Systems", "aldergrove-systems.example", "company"),
    ("Basalt Infrastructure", "basalt-infra.example", "company"),
    ("Cinder & Co", "cinder-co.example", "company"),
    ("Driftwood Retail", "driftwood-retail.example", "company"),
    ("Emberline Fintech", "emberline.example", "company"),
    ("Foxglove Learning", "foxglove-learning.example", "company"),
    ("Granite Peak Partners", "granite-peak.example", "company"),
    ("Halcyon Travel", "halcyon-travel.example", "company"),
    ("Inkwell Legal", "inkwell-legal.example", "company"),
    ("Jadeite Semiconductors", "jadeite-semi.example", "company"),
    ("Kinfolk Marketing", "kinfolk-marketing.example", "company"),
    ("Lodestar Aerospace", "lodestar-aero.example", "company"),
    ("Moorland Agritech", "moorland-agritech.example", "company"),
    ("Nimbus Weather", "nimbus-weather.example", "company"),
    ("Oakridge Pharmaceuticals", "oakridge-pharma.example", "company"),
    ("Parallax Vision", "parallax-vision.example", "company"),
    ("Quarry Lane Architects", "quarry-lane.example", "company"),
    ("Riverbend Credit Union", "riverbend-cu.example", "company"),
    ("Sable Fashion House", "sable-fashion.example", "company"),
    ("Thistle Telecom", "thistle-telecom.example", "company"),
    ("Upland Outdoor", "upland-outdoor.example", "company"),
    ("Vantage Point Research", "vantage-research.example", "company"),
    ("Willowbrook Care", "willowbrook-care.example", "company"),
    ("Xylem Climate", "xylem-climate.example", "company"),
    ("Yellowhammer Audio", "yellowhammer-audio.example", "company"),
    ("Zinnia Cosmetics", "zinnia.example", "company"),
    ("Acorn Robotics", "acorn-robotics.example", "company"),
    ("Beacon Street Bank", "beacon-street.example", "company"),
    ("Cobalt Mining Data", "cobalt-data.example", "company"),
    ("Dunmore Hotels", "dunmore-hotels.example", "company"),
    ("Estuary Water", "estuary-water.example", "company"),
    ("Flint & Feather", "flint-feather.example", "company"),
    ("Gossamer AI", "gossamer-ai.example", "company"),
    ("Hollowtree Toys", "hollowtree.example", "company"),
    ("Indigo Freight", "indigo-freight.example", "company"),
    ("Lantern Civic Tech", "lantern-civic.example", "company"),
    ("Mosaic Health Records", "mosaic-health.example", "company"),
    ("Nettle Open Source", "nettle-oss.example", "company"),
    ("Guild of Data Engineers", "data-engineers-guild.example", "association"),
    ("Society for Product Craft", "product-craft.example", "association"),
    ("Association of UX Researchers", "ux-researchers.example", "association"),
    ("Women in Infrastructure", "women-in-infra.example", "association"),
    ("Institute of Applied Analytics", "applied-analytics.example", "association"),
    ("Chamber of Digital Commerce", "digital-commerce.example", "association"),
    ("Engineering Leaders Forum", "eng-leaders.example", "association"),
    ("Riverside Institute of Technology", "riverside-tech.example", "school"),
    ("Hillcrest University", "hillcrest-university.example", "school"),
    ("Lakeshore Business School", "lakeshore-business.example", "school"),
    ("Northgate Polytechnic", "northgate-poly.example", "school"),
    ("St. Aldric College", "st-aldric.example", "school"),
    ("Open Source Collective", "oss-collective.example", "community"),
    ("Python Meetup Circle", "python-meetup.example", "community"),
    ("Design Systems Club", "design-systems-club.example", "community"),
    ("Founders' Breakfast", "founders-breakfast.example", "community"),
    ("Data for Good Network", "data-for-good.example", "community"),
    ("Climate Tech Commons", "climate-commons.example", "community"),
)

# More organizations, when a large network needs them: a stem and a (word, kind).
ORGANIZATION_STEMS: Final = (
    "Amberly", "Ashford", "Birchwood", "Blackthorn", "Bramble", "Brightside", "Caldera", "Cedar",
    "Clearwater", "Cloudberry", "Coral", "Crestline", "Dovetail", "Eastbrook", "Elmstead",
    "Everglow", "Fairhaven", "Fieldstone", "Firefly", "Glasshouse", "Goldcrest", "Greenhollow",
    "Hawthorn", "Heathrow Lane", "Highmoor", "Hollybush", "Keystone", "Kingfisher", "Lighthouse",
    "Lindenwood", "Marigold", "Mistral", "Moonstone", "Nightjar", "Northstar", "Oakmoss", "Opaline",
    "Osprey", "Palisade", "Peregrine", "Quicksilver", "Rainier", "Redwood", "Rosemary", "Ruby Lake",
    "Sagebrush", "Seabright", "Shoreline", "Skylark", "Snowdrop", "Starling", "Stonebridge",
    "Summit", "Sunflower", "Sycamore", "Thornbury", "Topaz", "Trailhead", "Twin Oaks", "Valleyview",
    "Waterford", "Westwind", "Whitecap", "Wildflower", "Windmill", "Wolfram", "Woodlark", "Yewtree",
)
ORGANIZATION_WORDS: Final = (
    ("Analytics", "company"), ("Labs", "company"), ("Systems", "company"), ("Software", "company"),
    ("Studio", "company"), ("Consulting", "company"), ("Health", "company"),
    ("Robotics", "company"), ("Media", "company"), ("Capital", "company"), ("Logistics", "company"),
    ("Energy", "company"), ("Networks", "company"), ("Foods", "company"), ("Bank", "company"),
    ("Insurance", "company"), ("Games", "company"), ("Biotech", "company"), ("Design", "company"),
    ("Partners", "company"), ("Cloud", "company"), ("Security", "company"), ("Learning", "company"),
    ("Mobility", "company"), ("Ventures", "company"), ("Data", "company"), ("Retail", "company"),
    ("Engineering", "company"), ("Pharma", "company"), ("Telecom", "company"),
    ("Society", "association"), ("Guild", "association"), ("Association", "association"),
    ("Institute", "school"), ("Academy", "school"), ("College", "school"),
    ("Collective", "community"), ("Meetup", "community"), ("Commons", "community"),
)

JOB_TITLES: Final = (
    "Software Engineer", "Senior Software Engineer", "Staff Engineer", "Principal Engineer",
    "Engineering Manager", "Director of Engineering", "VP Engineering", "CTO", "Data Scientist",
    "Senior Data Scientist", "Data Engineer", "Analytics Lead", "Machine Learning Engineer",
    "Product Manager", "Senior Product Manager", "Head of Product", "Product Designer",
    "Design Lead", "UX Researcher", "Content Designer", "Developer Advocate", "Technical Writer",
    "Site Reliability Engineer", "Security Engineer", "Platform Lead", "Solutions Architect",
    "Customer Success Manager", "Account Executive", "Head of Sales", "Marketing Manager",
    "Growth Lead", "Community Manager", "Talent Partner", "Technical Recruiter", "Head of People",
    "Operations Manager", "Chief of Staff", "COO", "CEO", "Founder", "Co-founder", "Partner",
    "Investment Associate", "Principal", "Consultant", "Research Scientist", "Lecturer",
    "Professor", "Programme Director", "Editor",
)

# Headlines for people without a current job on file.
HEADLINES: Final = (
    "Independent consultant", "Freelance product designer", "Open to new roles",
    "Angel investor and advisor", "Building something new", "Fractional CTO",
    "PhD candidate in human-computer interaction", "Career break, back in spring",
    "Writer and speaker on engineering culture", "Board member and mentor",
)

# (city, time zone)
CITIES: Final = (
    ("London, UK", "Europe/London"), ("Manchester, UK", "Europe/London"),
    ("Edinburgh, UK", "Europe/London"), ("Dublin, Ireland", "Europe/Dublin"),
    ("Paris, France", "Europe/Paris"), ("Lyon, France", "Europe/Paris"),
    ("Berlin, Germany", "Europe/Berlin"), ("Munich, Germany", "Europe/Berlin"),
    ("Amsterdam, Netherlands", "Europe/Amsterdam"), ("Copenhagen, Denmark", "Europe/Copenhagen"),
    ("Stockholm, Sweden", "Europe/Stockholm"), ("Helsinki, Finland", "Europe/Helsinki"),
    ("Warsaw, Poland", "Europe/Warsaw"), ("Prague, Czechia", "Europe/Prague"),
    ("Lisbon, Portugal", "Europe/Lisbon"), ("Barcelona, Spain", "Europe/Madrid"),
    ("Milan, Italy", "Europe/Rome"), ("Athens, Greece", "Europe/Athens"),
    ("Istanbul, Türkiye", "Europe/Istanbul"), ("Tel Aviv, Israel", "Asia/Jerusalem"),
    ("Dubai, UAE", "Asia/Dubai"), ("Lagos, Nigeria", "Africa/Lagos"),
    ("Accra, Ghana", "Africa/Accra"), ("Nairobi, Kenya", "Africa/Nairobi"),
    ("Cape Town, South Africa", "Africa/Johannesburg"), ("Cairo, Egypt", "Africa/Cairo"),
    ("Bengaluru, India", "Asia/Kolkata"), ("Mumbai, India", "Asia/Kolkata"),
    ("Singapore", "Asia/Singapore"), ("Jakarta, Indonesia", "Asia/Jakarta"),
    ("Ho Chi Minh City, Vietnam", "Asia/Ho_Chi_Minh"), ("Manila, Philippines", "Asia/Manila"),
    ("Seoul, South Korea", "Asia/Seoul"), ("Tokyo, Japan", "Asia/Tokyo"),
    ("Shanghai, China", "Asia/Shanghai"), ("Sydney, Australia", "Australia/Sydney"),
    ("Auckland, New Zealand", "Pacific/Auckland"), ("Toronto, Canada", "America/Toronto"),
    ("Montréal, Canada", "America/Toronto"), ("New York, USA", "America/New_York"),
    ("Austin, USA", "America/Chicago"), ("San Francisco, USA", "America/Los_Angeles"),
    ("Seattle, USA", "America/Los_Angeles"), ("Mexico City, Mexico", "America/Mexico_City"),
    ("São Paulo, Brazil", "America/Sao_Paulo"),
    ("Buenos Aires, Argentina", "America/Argentina/Buenos_Aires"),
    ("Bogotá, Colombia", "America/Bogota"), ("Santiago, Chile", "America/Santiago"),
)

TOPICS: Final = (
    "hiring senior engineers", "their Series A", "the Postgres migration", "design systems",
    "LLM evaluation", "a conference talk proposal", "their new role", "the team offsite",
    "pricing experiments", "on-call burnout", "moving to product management",
    "the data platform rebuild", "accessibility audits", "open-source funding",
    "remote team rituals", "the reorg", "a book they are writing", "mentoring juniors",
    "the customer research programme", "SOC 2 preparation", "going freelance",
    "the mobile app relaunch", "climate reporting", "board meetings", "their parental leave",
    "the Kubernetes cost overrun", "a podcast appearance", "the sales pipeline",
    "the engineering ladder", "their PhD research", "a workshop at PyCon", "an angel investment",
    "the partnership with us", "their first 90 days", "the analytics roadmap",
    "public speaking nerves", "a grant application", "the rebrand", "event sponsorship",
    "developer experience", "their move abroad", "the quarterly planning", "incident reviews",
    "user interviews", "a side project", "the acquisition rumours", "fundraising for a nonprofit",
    "a writing habit", "negotiating a raise", "the community meetup", "search relevance",
    "edge caching", "the API redesign", "their sabbatical", "a hackathon", "feature flags",
    "the annual report", "privacy regulation", "hiring a first designer", "cost cutting",
)

# Templates per interaction kind: what happened, in a line.
SUMMARIES: Final = {
    "email": (
        "Emailed {first} about {topic}", "{first} wrote back about {topic}",
        "Sent {first} notes on {topic}", "Long thread with {first} on {org}'s plans for {topic}",
        "{first} asked for advice on {topic}", "Shared an article on {topic} with {first}",
        "Intro email: {first} and a friend working on {topic}",
    ),
    "message": (
        "Quick chat with {first} about {topic}", "{first} messaged about {topic}",
        "Congratulated {first} on the news at {org}", "Swapped links with {first} on {topic}",
        "Checked how {first} is doing after {topic}",
    ),
    "call": (
        "Call with {first} about {topic}", "{first} called to talk through {topic}",
        "Phone catch-up with {first}; mostly {topic}", "Reference call with {first} for {org}",
    ),
    "video": (
        "Video call with {first} on {topic}", "Monthly sync with {first}: {topic}",
        "{first} demoed what {org} is building around {topic}",
        "Mentoring session with {first} about {topic}",
    ),
    "meeting": (
        "Coffee with {first}; talked about {topic}", "Lunch with {first} near {org}",
        "Met {first} at {org}'s office to discuss {topic}", "Walk and talk with {first}: {topic}",
        "Breakfast with {first} about {topic}",
    ),
    "event": (
        "Ran into {first} at a meetup on {topic}",
        "Talked with {first} after their talk on {topic}", "Met {first} at the {org} open evening",
        "Panel with {first} on {topic}",
    ),
    "social": (
        "Commented on {first}'s post about {topic}", "{first} shared our post on {topic}",
        "Liked {first}'s update from {org}", "Endorsed {first} on LinkedIn",
    ),
    "note": (
        "Note to self: {first} could help with {topic}", "Heard {first} is leaving {org}",
        "Reminder: {first} cares a lot about {topic}",
    ),
}

GROUP_SUMMARIES: Final = (
    "Dinner with {names}; lots about {topic}", "Call with {names} about {topic}",
    "Workshop with {names} on {topic}", "Group chat with {names}: {topic}",
)

LEARNED: Final = (
    "{first}'s team is hiring next quarter", "{org} is reorganising around {topic}",
    "{first} prefers short calls in the morning", "{first}'s team just shipped {topic}",
    "{first} is thinking about going independent", "{first} knows a lot about {topic}",
    "{org} is looking for a partner on {topic}", "{first} is speaking at a conference soon",
    "{first} is moving cities next year", "{first} mentors two people on {topic}",
)

NEXT_QUESTIONS: Final = (
    "Ask how {topic} went", "Ask whether {org} still needs help with {topic}",
    "Ask about {first}'s talk on {topic}", "Ask {first} for the name of their coach",
    "Ask if {first} wants an intro for {topic}", "Ask how the new team at {org} is settling in",
)

WHAT_MATTERS: Final = (
    "Two kids; coaches youth football at weekends", "Training for a marathon",
    "Wants to move into product management", "Cares about accessibility", "Learning Japanese",
    "Keen climber", "Volunteers at a food bank", "Building a career in public speaking",
    "Values honest feedback", "Caring for an elderly parent", "Wants to found a company one day",
    "Big on open source", "Reads a book a week, mostly history", "Vegetarian; loves to cook",
    "Bakes sourdough", "Plays in a jazz band", "Mentors first-generation students",
    "Saving for a sabbatical", "Passionate about diversity in hiring", "Into birdwatching",
    "Cycles to work every day", "New parent",
)

HOW_WE_MET: Final = (
    "Met at PyCon", "Sat next to each other at a DjangoCon workshop",
    "Worked together on a client project", "Same cohort at a leadership course",
    "Met on a conference panel", "They reached out after my blog post",
    "Old colleague from my first job", "Met at a local tech meetup",
    "Connected on LinkedIn after a webinar", "Friend of a friend at a wedding",
    "Hired them as a contractor", "They interviewed me once", "Met at a hackathon",
    "University classmates", "Met at a startup weekend", "Neighbours at a co-working space",
)

NOTES: Final = (
    "- Prefers mornings\n- Ask about {topic}", "**Good connector.** Knows everyone in {topic}.",
    "- Met their partner at the summer party\n- Allergic to nuts",
    "Helped me with {topic} in the past; *owe them one*.",
    "- Reads long emails; keep them short\n- Best reached by message",
    "Potential speaker for our meetup on {topic}.",
)

TAGS: Final = (
    "python", "mentor-candidate", "investor", "recruiter", "speaker", "alumni", "design", "data",
    "founder", "hiring", "open-source", "community", "advisor", "client", "journalist", "product",
    "security", "climate", "ml", "podcast",
)

FOLLOW_UPS: Final = (
    "Send {first} the write-up on {topic}", "Introduce {first} to someone working on {topic}",
    "Thank {first} for the introduction", "Congratulate {first} on the new role",
    "Share a job opening with {first}", "Reply to {first}'s email about {topic}",
    "Check in with {first} after {topic}", "Send {first} feedback on their talk",
    "Book a coffee with {first}", "Recommend a book on {topic} to {first}",
)

DRAFTS: Final = (
    "Hi {first}, it was great to catch up. Here is what I promised on {topic}.",
    "Hi {first}, thank you again. Let me know how {topic} goes!",
    "Hi {first}, I thought of you when I read this piece on {topic}.",
)

MENTORING: Final = "Monthly sessions on {topic}"

DEGREES: Final = (
    "BSc Computer Science", "MSc Data Science", "MBA", "MA Interaction Design", "PhD",
    "BA Economics", "BEng Electrical Engineering", "Exchange semester",
)

MEMBER_ROLES: Final = ("Member", "Member", "Member", "Board member", "Volunteer organiser")

PERSONAL_EMAIL_DOMAINS: Final = ("example.com", "example.org")

# Circle -> check-in cadences (days) set by hand for some people in it.
CADENCE_OVERRIDES: Final = {"close": (14, 21), "regular": (45, 60), "occasional": (120, 365)}
# fmt: on
