"""The words members use, as data: what they ask, how they say it, what to skip.

This is the one place the understanding step (``_understand``) learns words from;
it holds no logic. Role names, level names and FAQ ``match:`` words come from the
content files instead, so authors extend the vocabulary per role in YAML.

Words are case-folded, in Latin script (Hinglish as members type it). A word may
appear under one intent only; tests check that.
"""

from __future__ import annotations

__all__ = [
    "ABROAD",
    "ACROSS_LEVELS",
    "BETWEEN",
    "BOT_NAMES",
    "CITIES",
    "COMMAND_WORDS",
    "COMMON_WORDS",
    "COMPANIES",
    "CORRECTION",
    "COUNTRIES",
    "CURRENCIES",
    "DATA_WORDS",
    "EMPLOYER_WORDS",
    "ENDING",
    "FIRMS",
    "FUTURE",
    "FUZZY_CUTOFF",
    "FUZZY_ECHO_CUTOFF",
    "FUZZY_MIN_LENGTH",
    "GAINS",
    "INTENTS",
    "LEARNABLE",
    "LEVELS",
    "LOW_PAY",
    "NEAREST",
    "NEAREST_HEADCOUNT",
    "NUMBER_WORDS",
    "OTHER_ROLES",
    "PAY_FORMS",
    "PERIODS",
    "PHRASES",
    "PLACEMENT",
    "POSSESSIVE",
    "PREMIUM_WORDS",
    "PRIORITY",
    "PRIVACY",
    "PROVENANCE",
    "REMOTE",
    "SHARING",
    "SHORT_FORMS",
    "SMALL_TALK",
    "SMALL_TALK_FILLER",
    "STANDING_WORDS",
    "STOPWORDS",
    "SUFFICIENT",
    "TOPIC_SYNONYMS",
    "TOP_PAY",
    "UNCOVERED",
    "UNITS",
    "WEAK_PAY",
    "WORTH",
    "YEAR_UNITS",
]

INTENTS: dict[str, frozenset[str]] = {
    # what a role pays
    "salary": frozenset(
        "salary salaries sal pay paid pays paying payscale ctc package packages pkg comp "
        "compensation earn earns earning earnings lpa kamata "
        "kamate kamati kamai paisa paise band bands money rate "
        "income stipend scale crore crores cr lakh lakhs levels howmuch fair underpaid "
        "overpaid lowball standing ballpark".split()
    ),
    # what the job is
    "role": frozenset(
        "do does doing job responsibilities responsibility duties duty kaam karta krta karte "
        "work works day daily everyday routine role explain".split()
    ),
    # interviews
    "pitfalls": frozenset(
        "interview interviews interviewing mistakes mistake fail fails failing failure "
        "tips tip galti galtiyan crack cracking pitfalls pitfall prep preparation prepare "
        "puchte poochte reject rejected rejection rejections self-eliminate eliminate "
        "eliminated weed wrong galat trips tripped standout".split()
    ),
    # what to learn
    "skills": frozenset(
        "skills skill learn learning study padhna padhai seekhna sikhna seekhu tools tool stack toolchain "
        "toolchains roadmap need needed required zaroori aana know competencies panel panels "
        "must must-have musthave mandatory essential essentials requirement requirements "
        "prerequisite prerequisites qualifications knowledge lookfor dekhte jd jds add upskill".split()
    ),
    # hiring
    "demand": frozenset(
        "demand openings opening hiring hire hires jobs vacancies vacancy market scope "
        "important open choice count naukri naukriyan".split()
    ),
    # moving into the role (answered from the FAQ and the paths)
    "path": frozenset(
        "switch switching move moving transition become becoming shift aaye aaun jaun jaaun "
        "getinto road roads route routes path paths".split()
    ),
    # one role against another
    "faq": frozenset({"faq", "faqs"}),
    "compare": frozenset(
        "vs versus than compared compare comparison difference diff delta premium better "
        "zyada jyada higher farak fark farq antar".split()
    ),
    "roles": frozenset("roles catalogue catalog list".split()),
    "help": frozenset("help commands hi hello hey hii namaste start thanks thank thx".split()),
}
"""Cue words for what is asked. When several are present, ``PRIORITY`` decides."""

PRIORITY = (
    "compare",
    "path",
    "salary",
    "pitfalls",
    "skills",
    "demand",
    "faq",
    "role",
    "roles",
    "help",
)

PHRASES: dict[tuple[str, ...], str] = {
    ("how", "much"): "howmuch",
    ("data", "shift"): "datashift",
    ("data", "shifts"): "datashift",
    ("data", "shifting"): "datashift",
    ("do", "i", "stand"): "standing",
    ("where", "am", "i"): "standing",
    ("kaha", "hu"): "standing",
    ("kahan", "hu"): "standing",
    ("kaha", "hoon"): "standing",
    ("kahan", "hoon"): "standing",
    ("kaha", "hun"): "standing",
    ("kahan", "hun"): "standing",
    ("kaha", "khada"): "standing",
    ("kahan", "khada"): "standing",
    ("self", "eliminate"): "self-eliminate",
    ("self", "eliminating"): "self-eliminate",
    ("on", "call"): "on-call",
    ("ai", "startups"): "ai-native",
    ("ai", "startup"): "ai-native",
    ("ai", "companies"): "ai-native",
    ("ai", "first"): "ai-native",
    ("ai-first",): "ai-native",
    ("ai", "native"): "ai-native",
    ("ai", "natives"): "ai-native",
    ("ai-natives",): "ai-native",  # "where do I stand pay-wise?": the member placed
    ("ai-native", "startups"): "ai-native",  # "AI-native startups": the AI-native companies
    ("ai-native", "startup"): "ai-native",
    ("open", "roles"): "openings",
    ("roles", "open"): "openings",
    ("open", "positions"): "openings",
    ("get", "into"): "getinto",
    ("work", "from", "home"): "wfh",
    ("the", "us"): "usa",
    ("v", "s"): "vs",
    ("day", "to", "day"): "day",
    ("pay", "scale"): "payscale",
    ("how", "long"): "timeline",
    ("kitna", "time"): "timeline",
    ("per", "years"): "annum",
    ("per", "annum"): "annum",
    ("har", "saal"): "annum",
    ("kitne", "din"): "timeline",
    ("much", "time"): "timeline",
    ("highest", "paid"): "highest-paid",  # the role among others, not its top band
    ("highest", "paying"): "highest-paid",
    ("look", "for"): "lookfor",
    ("hiring", "manager"): "panel",
    ("hiring", "managers"): "panel",
    ("hiring", "team"): "panel",
    ("job", "description"): "jd",
    ("job", "descriptions"): "jd",
    ("in", "hand"): "in-hand",
    ("work", "life", "balance"): "wlb",
    ("take", "home", "pay"): "in-hand",
    ("take", "home", "salary"): "in-hand",
    ("take", "home"): "take-home",
    ("system", "design"): "system-design",
    ("what", "makes"): "what",  # a cause, not pay: "what makes candidates fail"
    ("looking", "for"): "lookfor",
    ("makes", "sense"): "ok",
    ("make", "sense"): "ok",
    ("how", "are", "you"): "hello",
    ("how", "r", "u"): "hello",
    ("galti", "se"): "oops",
    ("galti", "se", "likha"): "oops",
    ("galat", "likha"): "oops",
    ("my", "bad"): "oops",
    ("pick", "up"): "add",
    ("top", "end"): "topmost",
    ("top", "level"): "topmost",  # "the top grade", "top IC level": the ladder's top rung
    ("top", "rung"): "topmost",
    ("top", "ic"): "topmost",
    ("top", "individual-contributor"): "topmost",
    ("top", "individual", "contributor"): "topmost",
    ("strong", "candidate"): "standout",  # what sets strong candidates apart: the pitfall
    ("strong", "candidates"): "standout",
    ("strong", "applicant"): "standout",
    ("strong", "applicants"): "standout",
    ("weak", "candidate"): "standout",
    ("weak", "candidates"): "standout",
    ("apart", "from"): "besides",
    ("aside", "from"): "besides",
    ("other", "than"): "besides",
    ("next", "level"): "up",
    ("years", "baad"): "future",  # "5 saal baad": a time ahead, not experience
    ("years", "later"): "future",
    ("years", "from", "now"): "future",
    ("years", "down", "the"): "future",
    ("automated", "away"): "replaced",
    ("automate", "away"): "replaced",
    ("automate", "it", "away"): "replaced",
    ("automate", "them", "away"): "replaced",
    ("out", "of", "college"): "fresher",  # "straight out of college": no years yet
    ("fresh", "out", "of"): "fresher",
    ("out", "of", "campus"): "fresher",
    ("new", "grad"): "fresher",
    ("new", "grads"): "fresher",
    ("fresh", "graduate"): "fresher",
    ("fresh", "graduates"): "fresher",
    ("just", "graduated"): "fresher",
    ("college", "passout"): "fresher",
    ("passout",): "fresher",
    ("trips", "up"): "fail",  # "what trips people up in interviews"
    ("trip", "up"): "fail",
    ("tripped", "up"): "fail",
    ("years", "old"): "age",  # "I am 41 years old": their age, not experience
    ("too", "old"): "age",
    ("too", "late"): "age",
    ("my", "age"): "age",
    ("per", "month"): "monthly",
    ("a", "month"): "monthly",
    ("har", "mahine"): "monthly",
    ("per", "mahina"): "monthly",
}
"""Several words that mean one thing, rewritten before anything else is read."""

SHORT_FORMS: dict[str, str] = {
    "engg": "engineer",
    "eng": "engineer",
    "engr": "engineer",
    "engineers": "engineer",
    "dev": "developer",
    "devs": "developer",
    "developers": "developer",
    "yr": "years",
    "yrs": "years",
    "year": "years",
    "y": "years",
    "yoe": "years",
    "saal": "years",
    "sal": "salary",
    "exp": "experience",
    "v/s": "vs",
    "v": "vs",
    "snr": "sr",
    "ppl": "people",
    "wat": "what",
    "wht": "what",
    "grade": "level",
    "reqd": "required",
    "req": "required",
}
"""A short form or plural and the word it stands for."""

NUMBER_WORDS: dict[str, str] = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "teen": "3",
    "chaar": "4",
    "paanch": "5",
    "panch": "5",
    "saat": "7",
    "aath": "8",
}
"""A count written as a word ("three to six years", "paanch saal") and its figure. Not
"one" (which one) nor Hinglish "do" or "das", which are other words too."""

YEAR_UNITS = frozenset({"years"})
"""After ``SHORT_FORMS``: the word that makes a number a count of years."""

LEVELS = frozenset(
    "intern interns fresher freshers graduate junior jr entry mid intermediate senior sr "
    "staff principal lead distinguished architect director manager associate".split()
) | {"entry level", "mid level", "tech lead"}
"""Level words in general; each role's ladder adds its own ids, labels and aliases.
A level here that a role's ladder lacks is one the source gives no band for."""

OTHER_ROLES: dict[tuple[str, ...], str] = {
    ("devops",): "DevOps",
    ("devops", "engineer"): "DevOps",
    ("developer", "ops"): "DevOps",  # "dev ops": typed with a space, "dev" read as developer
    ("developer", "ops", "engineer"): "DevOps",
    ("sre",): "SRE",
    ("site", "reliability", "engineer"): "SRE",
    ("site", "reliability"): "SRE",
    ("backend",): "Backend",
    ("backend", "engineer"): "Backend",
    ("backend", "developer"): "Backend",
    ("frontend",): "Frontend developer",
    ("frontend", "developer"): "Frontend developer",
    ("frontend", "engineer"): "Frontend developer",
    ("full", "stack"): "Full-stack developer",
    ("fullstack",): "Full-stack developer",
    ("data", "scientist"): "Data Scientist",
    ("data", "science"): "Data Scientist",
    ("data", "engineer"): "Data Engineer",
    ("data", "analyst"): "Data Analyst",
    ("ml", "engineer"): "ML Engineer",
    ("android",): "Android developer",
    ("android", "developer"): "Android developer",
    ("ios", "developer"): "iOS developer",
    ("qa",): "QA engineer",
    ("qa", "engineer"): "QA engineer",
    ("tester",): "QA engineer",
    ("product", "manager"): "Product Manager",
    ("cloud", "engineer"): "Cloud engineer",
    ("security", "engineer"): "Security engineer",
    ("platform", "engineer"): "Platform engineer",
    ("platform", "engineering"): "Platform engineer",
    ("data", "engineering"): "Data Engineer",
}
"""Roles members name that may not be in the catalogue (the catalogue wins when it has one)."""

CITIES = frozenset(
    "bangalore bengaluru blr pune hyderabad hyd chennai mumbai bombay delhi ncr gurgaon "
    "gurugram noida kolkata ahmedabad kochi jaipur indore chandigarh coimbatore trivandrum".split()
)
COUNTRIES = frozenset(
    "usa america uk london canada germany europe dubai uae singapore australia abroad".split()
)
COMPANIES = frozenset(
    "google amazon microsoft meta facebook apple netflix flipkart swiggy zomato paytm "
    "tcs infosys wipro hcl accenture cognizant capgemini startup startups uber ola "
    "walmart adobe jpmorgan goldman".split()
)
FIRMS = frozenset(
    "companies company firms firm employers employer orgs startups startup mncs".split()
)
"""Words for employers in general ("which companies", "at every company")."""
EMPLOYER_WORDS = ("employers", "companies", "company", "gcc", "gccs", "capability", "centres")
"""Words that find the line naming a role's employers, whatever the content calls them."""
REMOTE = frozenset("remote remotely wfh hybrid onsite".split())
LEARNABLE = frozenset(
    # tools and stacks the source never names
    "terraform spark pyspark jenkins databricks kserve seldon feast argo dvc llmops azure "
    "pytorch tensorflow bentoml kafka snowflake ansible helm wandb onnx vllm langchain "
    "rust golang java scala sql nosql llm llms genai gpu gpus cuda cicd ci/cd github gitlab "
    # credentials
    "certification certifications certificate certificates certified cert certs cka ckad "
    "degree masters master's phd mtech btech bootcamp bootcamps".split()
)
"""Tools and credentials the source never names: nearest are the skills panels expect."""
WORTH = frozenset("worth worthwhile useful value valuable fayda faida".split())
"""Whether a credential is worth it ("paid bootcamps, worth it?"): the skills, not pay."""
UNCOVERED = LEARNABLE | frozenset(
    # hiring process, working life
    "leetcode dsa rounds oncall on-call wlb layoffs notice "
    "relocation visa hub hubs course courses balance timeline resources material materials "
    "books book youtube tutorial tutorials hackathon hackathons community communities "
    "meetup meetups mentor mentors mentorship "
    # applying and working life
    "resume cv portfolio referral referrals assignment assignments take-home system-design "
    "night overtime weekends women diversity benefits insurance age".split()
)
"""Things members ask about that the source never mentions: named as a gap, first."""
NEAREST_HEADCOUNT = ("pool", "talent")
"""What the source says nearest to a head count: how small the pool of talent is."""

NEAREST: dict[str, tuple[str, ...]] = {
    "feast": ("feature", "stores"),
    "azure": ("aws", "gcp"),
    "cka": ("kubernetes",),
    "ckad": ("kubernetes",),
    "helm": ("kubernetes",),
    "oncall": ("slo",),
    "on-call": ("slo",),
    "pytorch": ("framework",),
    "tensorflow": ("framework",),
    "kserve": ("serve",),
    "seldon": ("serve",),
    "bentoml": ("serve",),
    "vllm": ("serve",),
    "argo": ("pipelines",),
    "jenkins": ("pipelines",),
    "dvc": ("pipelines",),
    "wandb": ("mlflow",),
    "java": ("python",),
    "golang": ("python",),
    "rust": ("python",),
    "scala": ("python",),
    "cicd": ("pipelines",),
    "ci/cd": ("pipelines",),
    "github": ("pipelines",),
    "gitlab": ("pipelines",),
    "gpu": ("serve",),
    "gpus": ("serve",),
    "llm": ("framework",),
    "llms": ("framework",),
}
"""An ``UNCOVERED`` word and the words of what the source does cover nearest to it:
after "the source says nothing about Feast", its lines on feature stores."""
PAY_FORMS = frozenset(
    "inhand in-hand monthly bonus bonuses esop esops stock stocks rsu rsus equity variable "
    "hike hikes increment increments appraisal appraisals raise raises base fixed gross net cash".split()
)
"""Parts or forms of pay the source does not break its yearly bands into."""
GAINS = frozenset("hike hikes raise raises increment increments".split())
"""Pay forms that, said of moving from another role ("a hike going devops to mlops?"),
ask what MLOps pays over it: the premium, not a yearly appraisal."""
CURRENCIES = frozenset("usd dollar dollars gbp euro euros eur pounds".split())
FUTURE = frozenset(
    "future forecast khatam replace replaced obsolete growth yoy next dying dead saturated "
    "saturation hype overhyped bubble future-proof".split()
)
ENDING = frozenset("replace replaced obsolete khatam dying dead".split())
"""Future words asking whether the job lasts ("will AI tools replace it?"): the source's
lines on demand answer, whatever else the sentence names ("tools")."""
"""Asking what comes next: the source gives figures as of one date, no forecast."""
"""Places, employers and ways of working the source may not break figures down by."""

STOPWORDS = frozenset(
    # English
    "a an the of for in on at to from by with and or but is are am was were be been "
    "what whats what's which who whom how why when where can could would should will shall "
    "i im i'm me my we our you your they them their he she it its this that these those "
    "there here much many any some all per as so if then into about "
    "tell give show please pls plz want wanna get got have has had let lets let's "
    "actually really typical typically average avg range ranges generally usually "
    "good well best more most just also now these days folks people guys person someone "
    "expect expected expecting like ok okay yes no not really bro sir maam ma'am "
    "engineer engineers engineering developer career careers field line industry india indian "
    "meaning define definition "
    "level experience experienced exp year annual annually yearly per-year "
    "currently today latest recent anyone anybody one common used use uses using matter matters "
    "come comes coming mention mentions mentioned name names named reason reasons "
    "biggest main only include includes including annum going gonna apply applying applied "
    "candidate candidates full whole complete overall picture told said asked both tech same every each"
    # Hinglish in Latin script
    " ka ki ke ko kya kyu kyun kyon hai hain hota hoti hote tha thi the hoga hogi "
    " me mein mai main mera meri mere pe par se aur ya bhi toh bhai yaar bro batao "
    " bataiye bata kaise kaisa kaisi kitne kab kahan kaha liye lie wala wale wali "
    " chahiye chaiye sakta sakte sakti kare karu karna krna krne kar abhi ab ek"
    " ye yeh yah wo woh vo unme inme isme usme unka unki iska iski uska uski inka unhe"
    " kis kisme kisko kaun kaunse kaunsa kaunsi konsa konse konsi kuch sab sirf bas matlab na nahi nhi haan ha ji jo"
    " padega padegi padta jaana jana hona karo baat log cheez wala tak phir fir"
    " agar lekin kyunki aata aati aate walon walo waale waala waali"
    " aayega aayegi aayenge hu hoon hun badhega badhegi badhta badhti lagega lagegi lagta"
    " lagti mujhe mil raha rahi rahe theek thik iske uske inke unke isko usko"
    " else besides except apart aside alawa alava"
    " roughly approx approximately ic individual contributor individual-contributor"
    # addressing a group ("respected members", "dear all", "thanks in advance")
    " respected dear member members everyone advance kindly".split()
)
"""Words that carry no meaning for the answer. Intent words are never stopwords."""

TOP_PAY = frozenset("highest max maximum peak ceiling topmost upper".split())
"""Asking for the most a role pays: answered with the top rung of its ladder."""
LOW_PAY = frozenset("lowest min minimum floor starting least bottom".split())
"""Asking for the least a role pays: the headline band (its floor), with the ladder; with
``TOP_PAY`` too ("lowest and highest"), the whole range."""
PLACEMENT = frozenset(
    "below above under over inside within outside low lower high higher fair unfair sahi "
    "theek thik kam good bad decent reasonable enough okay ok underpaid overpaid market "
    "normal standard average fine acceptable competitive alright".split()
)
"""Words that ask where a figure falls ("is that low?", "within the band?", "sahi hai?"):
said of the member's own figure, they ask for it placed, and nothing else."""
STANDING_WORDS = frozenset(
    "stack stacks stacking up sit sits stand fall falls land lands fit fits measure "
    "compare compares".split()
)
"""The words of a member asking where they stand ("how do I stack up?", "where does that
sit?", see ``_standing``): they ask where a figure falls, not about a topic (a tech
stack) or what the job is."""
CORRECTION = frozenset("oops wrong galat galti mistake typo sorry meant".split())
"""Words of a member correcting themselves ("oops wrong one, I meant mid level"): with a
level, figure or role, a correction, not a question about interview mistakes."""
SUFFICIENT = frozenset("only just enough sufficient sirf bas alone".split())
"""Asking whether some skills are enough ("only Docker and Python?"): the whole list."""
POSSESSIVE = frozenset("my our mera meri mere hamara humara".split())
"""Before a title ("my manager says"), a person, not the member's level."""
ABROAD = frozenset("move moving shift shifting relocate relocating relocation settle".split())
"""With a place ("move to Dubai"), moving country or city, not switching roles."""
COMMON_WORDS = frozenset(
    "still speak speaking firing stuck clear fools pools sturdy other core after".split()
)
"""English words one letter from a word the lists know ("still" and "skill"): never
"corrected" into it."""

WEAK_PAY = frozenset(
    {"howmuch", "kitna", "kitni", "kitne", "itna", "itni", "milta", "milti", "milte", "milega"}
    | {"milegi", "make", "makes", "making", "get"}
)
""""How much", "will I get", "make": a pay question only when nothing else is asked
("kitni openings", "job milegi?", "what mistakes do people make in interviews")."""

UNITS = frozenset("rupees rupee inr rs lakh lakhs lac lacs lpa crore crores cr".split())
"""Asking for a figure in rupees or lakhs ("how much is that in lakhs?")."""
PERIODS = frozenset("annum annual annually yearly per-year".split())
"""Asking whether a figure is yearly ("is that per year?")."""
PREMIUM_WORDS = frozenset("premium premiums delta".split())
"""Pay over other roles: with none named, over the roles the source gives premiums over."""
BETWEEN = frozenset("between beech bich".split())
"""Asking for the distance between two bands shown before ("the gap between them?")."""

DATA_WORDS = frozenset(
    "numbers number figures figure data page source sources stats statistics info".split()
)
PROVENANCE = frozenset(
    "years when kab india indian country region where kahan kaha old purana purane latest "
    "updated specifically source sources".split()
)
"""A question about the figures themselves ("which year are these numbers from?", "is this
page about India?"): a ``DATA_WORDS`` word with a ``PROVENANCE`` one."""

SHARING = frozenset("share shared sharing shares".split())
"""Said of "my" things only ("do you share my salary?"): "share the card" is no worry."""
PRIVACY = frozenset(
    "privacy private store stored storing save saved saving keep kept delete remember "
    "remembered confidential secure safe leak leaked".split()
)
"""With the member's own things ("my salary", "mera data"): what the bot keeps of them."""

ACROSS_LEVELS = frozenset("seniority progression ladder".split())
"""Asking how pay changes from level to level: answered with the whole ladder, no level."""

SMALL_TALK: dict[str, frozenset[str]] = {
    "thanks": frozenset(
        "thanks thank thx thnx thanx tnx thnks ty tysm thanku thankyou shukriya dhanyavad "
        "dhanyawad helpful cheers appreciate appreciated grateful".split()
    ),
    "hello": frozenset("hi hii hello hey gm morning evening namaste namaskar yo".split()),
    "ok": frozenset(
        "ok okk okay kk cool nice great awesome hmm hmmm acha accha achha lol bye got it "
        "samajh gaya gayi understood perfect noted sure fine wow woah whoa damn".split()
    ),
}
"""Words of a message that is only small talk: it gets one short line."""
SMALL_TALK_FILLER = frozenset(
    "good all bot careerbot you bhai bro yaar that was this is so such a very really".split()
)
"""Words that may go with small talk without making it a question."""
BOT_NAMES = frozenset("bot careerbot".split())
"""The bot, named: "good" said of it is praise ("good bot"), small talk."""

COMMAND_WORDS = frozenset({"role", "salary", "pitfalls", "skills", "faq", "roles"})
"""A command name typed as a word asks for that command."""

FUZZY_MIN_LENGTH = 4
FUZZY_CUTOFF = 80.0
"""A word is corrected only when it is this long and this close (rapidfuzz ratio)."""
FUZZY_ECHO_CUTOFF = 85.0
"""Closer still for a word a gap note echoes back (a tool, a city, a form of pay): one
letter changed in five ("speak", "spark") is another word, not a typo."""

TOPIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "monitoring": ("observability", "drift"),
    "monitor": ("observability", "drift"),
    "k8s": ("kubernetes",),
    "kube": ("kubernetes",),
    "cloud": ("aws", "gcp"),
    "gcc": ("capability",),
    "gccs": ("capability", "gcc"),
    "mlflow": ("pipelines",),
    "companies": ("gcc", "capability"),
    "company": ("gcc", "capability"),
    "employers": ("gcc", "capability"),
    "competition": ("pool", "smaller"),
    "fewer": ("pool", "smaller"),
    "premium": ("supply", "pool"),
    "reliability": ("slo",),
    "targets": ("slo",),
    "prod": ("production",),
    "fast": ("low-latency",),
    "api": ("serve", "low-latency"),
    "apis": ("serve", "low-latency"),
    "fail": ("mistake", "fail"),
    "eye": ("drift", "monitoring"),
    "watch": ("drift", "monitoring"),
    "launch": ("production",),
    "stale": ("drift",),  # "a model going stale", "data shifts": what drift is, in words
    "staleness": ("drift",),
    "decay": ("drift",),
    "degrade": ("drift",),
    "degrades": ("drift",),
    "degrading": ("drift",),
    "degradation": ("drift",),
    "datashift": ("drift",),
    "view": ("opinion",),  # "a view on managed platforms vs your own stack"
    "views": ("opinion",),
    "managed": ("vertex", "sagemaker", "self-hosted"),
}
"""A topic word and other words the content uses for it (searched and narrowed alike)."""
