using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>The fixed vocabularies the detectors read context from. Organisation-specific words come from the rule set.</summary>
internal static class Lexicon
{
    public static readonly WordSet Honorifics = WordSet.Of("mr", "mrs", "ms", "miss", "mx", "mister", "madam", "sr", "sra", "srta");

    /// <summary>Titles and roles that mark a name as a member of staff, a clinician or a public figure.</summary>
    public static readonly WordSet StaffTitles = WordSet.Of(
        "dr", "doctor", "nurse", "rn", "lpn", "np", "pa", "crna", "prof", "professor", "chaplain", "supervisor", "manager",
        "director", "president", "ceo", "cmo", "cno", "coo", "cfo", "chief", "chairman", "chairwoman", "chair", "surgeon",
        "physician", "therapist", "pharmacist", "resident", "fellow", "intern", "volunteer", "volunteers", "colleague",
        "coworker", "teammate", "dean", "provost", "hospitalist", "midwife", "doula", "paramedic", "emt", "tech",
        "technician", "educator", "coordinator", "administrator", "officer", "senator", "sen", "rep", "representative",
        "governor", "gov", "mayor", "congressman", "congresswoman", "candidate", "councilman", "councilwoman",
        "commissioner", "secretary", "speaker", "judge", "sheriff", "author", "artist", "singer", "actor", "actress",
        "cardiologist", "oncologist", "neurologist", "radiologist", "anesthesiologist", "pediatrician",
        "obstetrician", "dermatologist", "psychiatrist", "psychologist", "dietitian", "nutritionist", "specialist",
        "scientist", "researcher", "founder", "cofounder", "vp", "svp", "evp", "trustee", "donor", "partner");

    /// <summary>Words after a name that mark a clinician or staff member (<c>Jane Roe, RN</c>).</summary>
    public static readonly WordSet StaffSuffixes = WordSet.Of(
        "md", "do", "rn", "np", "pa", "phd", "pharmd", "dnp", "msn", "bsn", "crna", "lpn", "aprn", "facs", "facp", "mph",
        "dds", "dmd", "od", "dpt", "otr", "rrt", "cnm", "lcsw", "mba", "jr", "sr");

    /// <summary>Words that say the people named next are being thanked, welcomed or introduced: staff, not patients.</summary>
    public static readonly PhraseSet StaffIntroductions = new([
        ("shoutout to", 1), ("shout out to", 1), ("shout-out to", 1), ("thanks to", 1), ("thank you to", 1),
        ("kudos to", 1), ("congrats to", 1), ("congratulations to", 1), ("please welcome", 1), ("welcome dr", 1),
        ("endorse", 1), ("vote for", 1), ("elect", 1), ("re-elect", 1), ("led by", 1), ("hosted by", 1),
        ("presented by", 1), ("featuring", 1), ("with our", 1), ("our own", 1), ("interview with", 1),
        ("written by", 1), ("directed by", 1), ("by", 1)]);

    /// <summary>Words in the name run that make it an organisation, a building or a place rather than a person.</summary>
    public static readonly WordSet OrganizationWords = WordSet.Of(
        "health", "hospital", "hospitals", "medical", "medicine", "center", "centre", "clinic", "clinics", "general",
        "university", "college", "school", "academy", "institute", "foundation", "church", "county", "parish", "city",
        "town", "township", "village", "street", "st", "avenue", "ave", "road", "rd", "lane", "ln", "drive", "boulevard",
        "blvd", "park", "lake", "river", "mountain", "valley", "heights", "hills", "beach", "bay", "airport",
        "station", "memorial", "regional", "children", "childrens", "system", "systems", "healthcare", "care",
        "pharmacy", "labs", "laboratory", "inc", "llc", "corp", "company", "group", "association", "society",
        "network", "department", "dept", "unit", "ward", "wing", "tower", "pavilion", "building", "hall", "room",
        "auditorium", "cafe", "café", "club", "team", "league", "month", "week", "day", "award", "awards", "fund",
        "trauma", "level", "program", "residency", "services", "service", "heart", "vascular", "cancer", "ortho",
        "orthopedics", "pediatrics", "rehab", "rehabilitation", "hospice", "emergency", "surgery", "oncology",
        "cardiology", "neurology", "radiology", "lifeflight", "auxiliary", "council", "committee", "board", "office",
        "senate", "congress", "house", "court", "state", "national", "federal", "international", "america", "american",
        "medicare", "medicaid", "insurance", "bank", "library", "museum", "theater", "theatre", "stadium", "arena",
        "mall", "market", "store", "shop", "restaurant", "hotel", "inn", "farm", "ranch", "camp", "fire", "police",
        "department", "army", "navy", "marines", "force", "guard", "coast", "wwii", "ww2", "covid", "day");

    /// <summary>Person nouns that, with an article, describe one specific person (<c>a retired trucker</c>).</summary>
    public static readonly WordSet PersonNouns = WordSet.Of(
        "patient", "pt", "man", "woman", "gentleman", "lady", "guy", "gal", "dad", "mom", "mum", "father", "mother",
        "son", "daughter", "kid", "child", "boy", "girl", "baby", "infant", "toddler", "teen", "teenager", "newborn",
        "preemie", "veteran", "vet", "trucker", "farmer", "grandma", "grandpa", "grandmother", "grandfather",
        "granny", "widow", "widower", "teacher", "student", "mechanic", "firefighter", "cowboy", "rancher", "driver",
        "biker", "runner", "climber", "hiker", "survivor", "nurse", "soldier", "marine", "pilot", "athlete", "player",
        "senior", "elder", "husband", "wife", "brother", "sister", "uncle", "aunt", "fella", "fellow", "lad", "lass",
        "ma'am", "sir", "twin", "twins", "mama", "papa", "grandson", "granddaughter", "retiree", "grad", "frequent",
        "family", "couple", "schoolteacher", "professor", "nun", "priest", "pastor", "chef", "cook", "lawyer", "engineer",
        "carpenter", "plumber", "electrician", "welder", "logger", "miner", "fisherman", "hunter", "cyclist", "skier",
        "snowboarder", "motorcyclist", "rider", "swimmer", "dancer", "musician", "singer", "artist", "writer", "poet",
        "gardener", "librarian", "officer", "deputy", "trooper", "marathoner", "golfer", "boxer", "wrestler", "jockey",
        "baker", "butcher", "banker", "accountant", "nanny", "babysitter", "caregiver", "coach", "principal", "janitor",
        "cashier", "waitress", "waiter", "bartender", "barber", "hairdresser", "tailor", "seamstress", "homeowner",
        "neighbor", "stranger", "traveler", "tourist", "hiker", "camper", "kiddo", "youngster", "gal", "dude",
        "centenarian", "resident", "client", "customer", "mother-to-be", "mom-to-be", "dad-to-be");

    /// <summary>Relatives, whose identifiers are PHI just as the patient's are.</summary>
    public static readonly WordSet Relatives = WordSet.Of(
        "mom", "mum", "mother", "dad", "father", "son", "daughter", "wife", "husband", "spouse", "partner", "brother",
        "sister", "sibling", "grandma", "grandpa", "grandmother", "grandfather", "aunt", "uncle", "niece", "nephew",
        "cousin", "family", "parent", "parents", "guardian", "caregiver", "fiance", "fiancé", "fiancée", "girlfriend",
        "boyfriend", "kid", "kids", "child", "children", "baby", "grandson", "granddaughter", "stepdad", "stepmom",
        "mama", "papa");

    public static readonly WordSet ThirdPersonPossessives = WordSet.Of("his", "her", "their", "hers", "theirs");

    /// <summary>Words that tie a post to one patient's care. Each hit raises the post's patient context.</summary>
    public static readonly PhraseSet PatientCues = new([
        ("patient", 2), ("pt", 2), ("admitted", 2), ("admission", 1), ("discharged", 2), ("readmitted", 2),
        ("brought in", 2), ("brought him in", 2), ("brought her in", 2), ("came in", 1), ("rolled in", 1),
        ("going home", 2), ("heading home", 2), ("went home", 2), ("home day", 1), ("born", 1), ("weeks old", 2),
        ("hospice", 2), ("bedside", 2), ("dialysis", 2), ("dob", 2), ("mrn", 2), ("chart", 1), ("diagnosed", 2),
        ("diagnosis", 1), ("recovering", 2), ("recovery", 1), ("surgery", 1), ("stitches", 2), ("sutured", 2),
        ("intubated", 2), ("extubated", 2), ("coded", 2), ("transplant", 1), ("trach", 2), ("telehealth visit", 2),
        ("callback", 1), ("frequent flyer", 2), ("frequent flier", 2), ("pain scale", 2), ("dilaudid", 1),
        ("morphine", 1), ("icu", 1), ("nicu", 1), ("picu", 1), ("our unit", 1), ("on our unit", 2), ("ems", 1),
        ("ambulance", 1), ("er", 1), ("ed", 1), ("slipped", 1), ("fell", 1), ("rollover", 2), ("crash", 1),
        ("flew", 1), ("knee replacement", 2), ("hip replacement", 2), ("bypass", 1), ("stroke", 1), ("rehab", 1),
        ("our rehab", 2), ("consent", 1), ("her parents", 1), ("his parents", 1), ("the mom", 1), ("the dad", 1),
        ("his wife", 1), ("her husband", 1), ("in his 70s", 2), ("in her 70s", 2), ("in his 80s", 2),
        ("in her 80s", 2), ("in his 60s", 2), ("in her 60s", 2), ("year-old", 2), ("years old", 2),
        ("remote monitoring", 2), ("device clinic", 1), ("pacemaker", 2), ("icd", 2), ("insulin pump", 2),
        ("meal train", 2), ("gofundme", 2), ("caringbridge", 2), ("room", 2), ("bay", 2), ("bed", 2), ("chair", 2),
        ("took care of", 2), ("taking care of", 2), ("cared for", 1), ("take care of", 1), ("my pt", 2),
        ("code blue", 2), ("trauma bay", 2), ("on hospice", 2), ("passed away", 2), ("died", 1), ("cancer", 1),
        ("chemo", 1), ("tumor", 1), ("fracture", 1), ("broke", 1), ("injured", 1), ("injury", 1), ("overdose", 2),
        ("ventilator", 2), ("vent", 1), ("nurse practitioner", 0), ("pain", 1), ("meds", 1), ("transported", 2),
        ("transferred", 1), ("in his 90s", 2), ("in her 90s", 2), ("in his 50s", 2), ("in her 50s", 2),
        ("in his 40s", 2), ("in her 40s", 2), ("in his 30s", 2), ("in her 30s", 2), ("in his 20s", 2),
        ("in her 20s", 2), ("chemo", 1), ("nursing home", 1), ("wound", 1), ("drain", 1), ("labs", 1),
        ("burn unit", 2), ("l & d", 1), ("hip fracture", 2)]);

    /// <summary>Phrases that make a patient word generic (<c>new patients</c>, <c>patient experience</c>).</summary>
    public static readonly WordSet GenericPatientFollowers = WordSet.Of(
        "experience", "experiences", "safety", "care", "portal", "education", "advocate", "advocates", "satisfaction",
        "survey", "outcomes", "outcome", "centered", "centred", "first", "privacy", "rights", "access", "services",
        "family", "families", "engagement", "navigator", "navigators", "relations", "flow", "volume");

    public static readonly WordSet GenericDeterminers = WordSet.Of(
        "every", "all", "any", "each", "new", "most", "many", "some", "our", "your", "no", "few", "more", "other");

    /// <summary>Words before a place that tie it to a person's whereabouts.</summary>
    public static readonly WordSet LocationPrepositions = WordSet.Of(
        "in", "from", "outside", "near", "at", "to", "of", "around", "toward", "towards", "into", "between");

    public static readonly WordSet StreetSuffixes = WordSet.Of(
        "street", "st", "avenue", "ave", "av", "road", "rd", "lane", "ln", "drive", "dr", "boulevard", "blvd", "way",
        "court", "ct", "place", "pl", "terrace", "ter", "circle", "cir", "highway", "hwy", "parkway", "pkwy", "trail",
        "trl", "square", "sq", "loop", "row", "pike", "run", "crossing", "xing", "path", "alley", "close", "crescent",
        "cres", "grove", "gardens", "walk", "point", "ridge", "hollow", "route", "rte");

    public static readonly WordSet UnitWords = WordSet.Of("apt", "apartment", "suite", "ste", "unit", "floor", "fl", "#", "no", "lot", "box");

    public static readonly WordSet Directionals = WordSet.Of(
        "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west", "northeast", "northwest",
        "southeast", "southwest");

    public static readonly WordSet StateCodes = WordSet.Of(
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
        "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
        "PA", "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY");

    public static readonly PhraseSet StateNames = new(new[]
    {
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
        "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
        "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
        "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
        "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
        "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "Puerto Rico",
        "District of Columbia",
    }.Select(s => (s, 1)));

    /// <summary>Countries and continents: larger than a state, so never a LOCATION finding on their own.</summary>
    public static readonly PhraseSet Countries = new(new[]
    {
        "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia", "Australia", "Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium", "Belize", "Benin", "Bhutan", "Bolivia", "Bosnia", "Botswana", "Brazil", "Brunei", "Bulgaria", "Burundi", "Cambodia", "Cameroon", "Canada", "Chad", "Chile", "China", "Colombia", "Comoros", "Congo", "Croatia", "Cuba", "Cyprus", "Czechia", "Denmark", "Djibouti", "Dominica", "Ecuador", "Egypt", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji", "Finland", "France", "Gabon", "Gambia", "Georgia", "Germany", "Ghana", "Greece", "Grenada", "Guatemala", "Guinea", "Guyana", "Haiti", "Honduras", "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kiribati", "Kosovo", "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania", "Luxembourg", "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta", "Mauritania", "Mauritius", "Mexico", "Micronesia", "Moldova", "Monaco", "Mongolia", "Montenegro", "Morocco", "Mozambique", "Myanmar", "Namibia", "Nauru", "Nepal", "Netherlands", "Nicaragua", "Niger", "Nigeria", "Norway", "Oman", "Pakistan", "Palau", "Palestine", "Panama", "Paraguay", "Peru", "Philippines", "Poland", "Portugal", "Qatar", "Romania", "Russia", "Rwanda", "Samoa", "Senegal", "Serbia", "Seychelles", "Singapore", "Slovakia", "Slovenia", "Somalia", "Spain", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria", "Taiwan", "Tajikistan", "Tanzania", "Thailand", "Togo", "Tonga", "Tunisia", "Turkey", "Turkmenistan", "Tuvalu", "Uganda", "Ukraine", "Uruguay", "Uzbekistan", "Vanuatu", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe", "England", "Scotland", "Wales", "Britain", "Europe", "Africa", "Asia", "America", "Antarctica", "Oceania", "Korea", "Costa Rica", "Czech Republic", "Dominican Republic", "East Timor", "El Salvador", "Equatorial Guinea", "Ivory Coast", "New Zealand", "North Korea", "South Korea", "North Macedonia", "Papua New Guinea", "Saudi Arabia", "Sierra Leone", "Solomon Islands", "South Africa", "South Sudan", "Sri Lanka", "United Kingdom", "United States", "United Arab Emirates", "Vatican City", "Cape Verde", "Burkina Faso", "Marshall Islands", "San Marino", "Puerto Rico", "Great Britain", "Northern Ireland", "North America", "South America", "Central America", "Latin America", "Middle East",
    }.Select(c => (c, 1)));

    public static readonly WordSet Months = WordSet.Of(
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");

    public static readonly WordSet Weekdays = WordSet.Of(
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
        "thu", "thur", "thurs", "fri", "sat", "sun");

    /// <summary>
    /// Words that offer the reader a way to reach the organisation ("Questions? Call", "Referrals:", "Help:"): a
    /// contact detail after one is the organisation's own, not a patient's. Kept out of the vocabulary table, so that
    /// these common words still cost nothing where they are not asked about.
    /// </summary>
    public static readonly WordSet ReaderContactCues = WordSet.Of(
        "call", "text", "fax", "email", "e-mail", "questions", "question", "info", "information", "referrals", "referral",
        "appointments", "appointment", "help", "contact", "reach", "visit", "apply", "request", "book", "schedule",
        "scheduling", "hotline", "helpline", "line", "dial", "rsvp", "details", "inquiries", "enquiries", "tickets",
        "register", "registration", "office", "desk", "us", "our", "at");

    /// <summary>Words near a date that make it a public event, an offer or facility work rather than a patient's date.</summary>
    public static readonly WordSet EventCues = WordSet.Of(
        "opens", "open", "opening", "reopens", "class", "classes", "event", "events", "register", "registration", "rsvp",
        "deadline", "ends", "offer", "sale", "until", "starting", "starts", "begins", "closes", "closed", "closure",
        "construction", "webinar", "meeting", "meet", "interview", "interviews", "season", "run", "runs", "held",
        "hosted", "host", "hosting", "fair", "festival", "walk", "gala", "conference", "apply", "applications", "due",
        "celebrate", "celebration", "join", "session", "sessions", "tickets", "workshop", "seminar", "clinic", "drive",
        "screening", "screenings", "expo", "ceremony", "groundbreaking", "tour", "tours", "launch", "launches",
        "enrollment", "vote", "election", "primary", "ballot", "holiday", "hours", "visiting", "maintenance",
        "outage", "downtime", "effective", "beginning", "through", "thru", "annual", "free", "submit", "submissions",
        "orientation", "graduation", "commencement", "match", "virtual");

    /// <summary>Words near a date that tie it to a patient's care or life.</summary>
    public static readonly WordSet PatientDateCues = WordSet.Of(
        "born", "birth", "birthday", "dob", "d.o.b", "admitted", "admission", "admit", "discharged", "discharge",
        "surgery", "operated", "procedure", "transplant", "diagnosed", "diagnosis", "died", "passed", "death", "visit",
        "seen", "injured", "accident", "fell", "delivered", "arrived", "dos", "readmitted",
        "expired", "deceased", "transferred", "intubated", "extubated", "seizure", "coded");

    public static readonly WordSet ImageNouns = WordSet.Of(
        "photo", "photos", "pic", "pics", "picture", "pictures", "image", "images", "selfie", "selfies", "snapshot",
        "screenshot", "screenshots", "screengrab", "video", "videos", "x-ray", "xray", "xrays", "scan", "scans", "shot",
        "shots", "footage", "clip", "photograph", "photographs");

    /// <summary>What an image shows that makes it an image of a patient's identity or record.</summary>
    public static readonly WordSet ImageSubjects = WordSet.Of(
        "face", "faces", "chart", "charts", "wristband", "wristbands", "bracelet", "screen", "monitor", "record",
        "records", "xray", "x-ray", "scan", "wound", "wounds", "injury", "injuries", "rash", "tattoo", "eyes", "smile",
        "id", "label", "labels", "band", "whiteboard", "board", "room", "body", "leg", "arm", "hand", "head", "baby",
        "stitches", "incision", "scar", "burn", "burns", "ekg", "ecg", "mri", "ct", "census", "list", "file", "emr",
        "ehr", "before", "after", "transformation", "results", "lab", "labs", "patient", "pt", "son", "daughter",
        "mom", "dad", "family", "him", "her", "them", "kid", "kiddo", "little", "guy", "girl", "boy");

    public static readonly WordSet AttachCues = WordSet.Of(
        "below", "attached", "above", "here", "here's", "heres", "see", "swipe", "check", "enclosed", "posted",
        "posting", "sharing", "uploaded", "👇", "⬇", "⬇️", "👆", "📸", "📷");

    /// <summary>Statements that the patient or family agreed to the post.</summary>
    public static readonly PhraseSet ConsentPhrases = new([
        ("consent", 1), ("consented", 1), ("consents", 1), ("permission", 1), ("gave us the ok", 1),
        ("gave us the okay", 1), ("ok to share", 1), ("okay to share", 1), ("blessing to share", 1),
        ("agreed to share", 1), ("agreed to let us share", 1), ("wanted us to share", 1), ("asked us to share", 1),
        ("shared with permission", 1), ("with permission", 1), ("release signed", 1), ("media release", 1),
        ("photo release", 1), ("signed a release", 1), ("gave permission", 1), ("gave their permission", 1)]);

    public static readonly WordSet Negations = WordSet.Of("no", "not", "without", "never", "didn't", "didnt", "hasn't", "haven't", "refused", "declined", "pending");

    public static readonly WordSet NonPersonAgeNouns = WordSet.Of(
        "hospital", "building", "tradition", "church", "tree", "trees", "company", "institution", "house", "home",
        "bridge", "campus", "practice", "clinic", "program", "organization", "business", "school", "library",
        "college", "university", "facility", "oak", "barn", "farm", "photo", "recipe", "quilt", "piano", "car", "truck",
        "record", "history", "legacy", "anniversary", "celebration", "foundation", "society", "newspaper", "town",
        "city", "bell", "organ", "painting", "clock", "ship", "statue", "mill", "theater", "theatre");

    /// <summary>
    /// The word sets above in one table (see <see cref="Text.Vocabulary"/>). Declared last so that every set exists
    /// when it is built; tokens look it up lazily, on the first check against one of these sets.
    /// </summary>
    public static readonly Vocabulary Vocabulary = new(
    [
        Honorifics, StaffTitles, StaffSuffixes, OrganizationWords, PersonNouns, Relatives, ThirdPersonPossessives,
        GenericPatientFollowers, GenericDeterminers, LocationPrepositions, StreetSuffixes, UnitWords, Directionals,
        StateCodes, Months, Weekdays, EventCues, PatientDateCues, ImageNouns, ImageSubjects, AttachCues, Negations,
        NonPersonAgeNouns,
    ]);
}
