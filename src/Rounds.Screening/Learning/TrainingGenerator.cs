using System.Globalization;
using System.Text;
using Rounds.Screening.Data;

namespace Rounds.Screening.Learning;

/// <summary>One generated post or note, labelled for both profiles (the social labels are a subset of the strict ones).</summary>
internal sealed record GeneratedPost(
    string Family, Post Post, IReadOnlyList<(string Type, int Start, int End)> Social, IReadOnlyList<(string Type, int Start, int End)> Strict)
{
    public IReadOnlyList<(string Type, int Start, int End)> For(Profile profile) => profile == Profile.Strict ? Strict : Social;
}

/// <summary>
/// What the social labeller's generated posts draw beyond the plain lists. The strict labeller learns from the plain
/// draw only, so that what is added for social posts does not move the strict model.
/// </summary>
[Flags]
internal enum SocialDraw
{
    None = 0,

    /// <summary>One patient or relative given name in eight is also an ordinary word (Hope, Major, Summer).</summary>
    WordNames = 1,

    /// <summary>One patient story in ten names the patient's town as an adjective ("a {T} ferry captain").</summary>
    TownAdjectives = 2,

    /// <summary>What the shipped social labeller learns from (docs/screening.md, ninth round).</summary>
    Social = WordNames | TownAdjectives,
}

/// <summary>
/// Writes labelled training posts and clinical-note-style texts from templates, filling their slots from the SSA and
/// Census name lists and the Gazetteer towns in many surface forms. The same seed gives the same posts. A slot knows
/// its label in each profile: a patient's name is PHI in both, a nurse's name only in <c>strict</c>, the hospital's
/// own phone only in <c>strict</c>, an age of 78 in neither.
/// </summary>
internal sealed class TrainingGenerator
{
    private readonly Random _random;
    private readonly Random _tags;
    private readonly Random _variant;
    private readonly SocialDraw _draw;
    private readonly string[] _firstNames;
    private readonly string[] _surnames;
    private readonly (string Town, string State)[] _places;
    private readonly string[] _nameWords;

    private static readonly Lazy<(string[] First, string[] Sur, (string, string)[] Places, string[] NameWords)> Lists = new(ReadLists);

    public TrainingGenerator(int seed, SocialDraw draw = SocialDraw.None)
    {
        _random = new Random(seed);
        _tags = new Random(unchecked(seed * 31 + 7));
        // The social draw's choices come from a stream of their own, so that every other slot of a seed keeps its value.
        _variant = new Random(unchecked(seed * 53 + 11));
        _draw = draw;
        (_firstNames, _surnames, _places, _nameWords) = Lists.Value;
    }

    /// <summary>The template families; an evaluation can hold one out of training and score on it.</summary>
    public static IReadOnlyList<string> Families => TemplateFamilies.Select(f => f.Name).ToList();

    public List<GeneratedPost> Generate(int count, ISet<string>? families = null)
    {
        var pool = TemplateFamilies.Where(f => families is null || families.Contains(f.Name)).ToList();
        var posts = new List<GeneratedPost>(count);
        for (var i = 0; i < count; i++)
        {
            var family = pool[_random.Next(pool.Count)];
            var template = family.Templates[_random.Next(family.Templates.Length)];
            if (_draw.HasFlag(SocialDraw.TownAdjectives) && family.Name is "story" or "nurse" or "mixed" && _variant.NextDouble() < 0.1)
            {
                template = HometownTemplates[_variant.Next(HometownTemplates.Length)];
            }

            posts.Add(Fill(family.Name, family.Kind, template));
        }

        return posts;
    }

    // The slot filled last, so that "{AGAIN}" can write a second value of the same kind ("X vs Y", "X instead of Y").
    private (string Value, string? Social, string? Strict) _last;

    /// <summary>A second identifier of the previous slot's kind, as a typo of it: two digits swapped, or one changed.</summary>
    private (string, string, string, string?, string?) Again()
    {
        var chars = _last.Value.ToCharArray();
        var digits = Enumerable.Range(0, chars.Length).Where(k => char.IsAsciiDigit(chars[k])).ToList();
        if (digits.Count >= 2)
        {
            var k = _random.Next(digits.Count - 1);
            (chars[digits[k]], chars[digits[k + 1]]) = (chars[digits[k + 1]], chars[digits[k]]);
            if (chars.AsSpan().SequenceEqual(_last.Value))
            {
                chars[digits[k]] = (char)('0' + (chars[digits[k]] - '0' + 1) % 10);
            }
        }

        return ("", new string(chars), "", _last.Social, _last.Strict);
    }

    private GeneratedPost Fill(string family, AccountKind kind, string template)
    {
        var text = new StringBuilder();
        var social = new List<(string, int, int)>();
        var strict = new List<(string, int, int)>();
        var org = OrgName();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            text.Append(template, i, open - i);
            var close = template.IndexOf('}', open);
            var slot = template[(open + 1)..close];
            var (before, value, after, socialType, strictType) = slot == "AGAIN" ? Again() : Slot(slot, org);
            _last = (value, socialType, strictType);
            text.Append(before);
            var start = text.Length;
            text.Append(value);
            if (value.Length > 0)
            {
                if (socialType is not null)
                {
                    social.Add((socialType, start, text.Length));
                }

                if (strictType is not null)
                {
                    strict.Add((strictType, start, text.Length));
                }
            }

            text.Append(after);
            i = close + 1;
        }

        // Posts end in topic hashtags built from ordinary words (#PatientSafety, #NurseLife); only a name made into a
        // hashtag (#MaisieStrong) is a name.
        // They draw from their own stream, so that every other slot of the same seed keeps its value.
        if (family != "note" && _tags.NextDouble() < 0.3)
        {
            text.Append(Tag(" ", "\n", " 💙 ")).Append('#').Append(Tag(TopicWords)).Append(Tag(TopicWords));
            if (_tags.NextDouble() < 0.4)
            {
                text.Append(" #").Append(Tag(TopicWords)).Append(Tag("", "Month", "Week", "Matters", "Life"));
            }
        }

        var bio = kind switch
        {
            AccountKind.Personal => Pick($"Nurse at {org}. Views are my own.", $"ICU RN | {org}", "mom, runner, coffee", $"Resident physician, {org}"),
            _ => Pick($"{org} | care close to home", $"Official account of {org}", $"Emergency Department at {org}"),
        };
        return new GeneratedPost(family, new Post(text.ToString(), kind, bio), social, strict);
    }

    /// <summary>A slot's text (with words outside the span before and after it) and its label in each profile.</summary>
    private (string Before, string Value, string After, string? Social, string? Strict) Slot(string slot, string org) => slot switch
    {
        "P" => PatientName(),
        "PF" => ("", Casing(First()), "", "NAME", "NAME"),
        "R" => ("", Chance(0.5) ? PatientFirst() : $"{PatientFirst()} {Surname()}", "", "NAME", "NAME"),
        "S" => StaffName(),
        "SS" => StaffPair(),
        "SN" => ("", $"{First()} {Surname()}", "", null, "NAME"),
        "SC" => ("", $"{First()} {Surname()}", Pick(", CCLS", ", LCSW", ", MSN, RN", ", RN", ", CNM", ", BSN", ", RD", ", PA-C", ", MD, PhD", ", DNP", ", CRNA", ", MBA"), null, "NAME"),
        "RL" => ("", Plural(Role()), "", null, null),
        "ROLE" => ("", Role(), "", null, null),
        "PTAG" => ("#", $"{First()}{Pick("Strong", "Warrior", "sArmy", "Tough", "Fights", "sJourney")}", "", "NAME", "NAME"),
        "PUB" => (Pick("Senator ", "Governor ", "Rep. ", "Mayor ", "candidate "), Chance(0.5) ? Surname() : $"{First()} {Surname()}", "", null, "NAME"),
        "PUBN" => ("", Chance(0.3) ? Surname() : $"{First()} {Surname()}", "", null, "NAME"),
        "OFFICE" => ("", Pick("state senate", "governor", "mayor", "city council", "county commissioner", "Congress", "school board", "the state house"), "", null, null),
        "D" => ("", Date(), "", "DATE", "DATE"),
        "E" => ("", Date(), "", null, "DATE"),
        "A" => OldAge(),
        "a" => ("", YoungAge(), "", null, null),
        "T" => ("", Town(), "", "LOCATION", "LOCATION"),
        "OT" => ("", _places[_random.Next(_places.Length)].Town, "", null, "LOCATION"),
        "AD" => ("", Address(), "", "LOCATION", "LOCATION"),
        "OAD" => ("", Address(), "", null, "LOCATION"),
        "WORK" => ("", Workplace(), "", "LOCATION", "LOCATION"),
        "ZIP" => ("", _random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture), "", "LOCATION", "LOCATION"),
        "PH" => ("", Phone(), "", "PHONE", "PHONE"),
        "OPH" => ("", Phone(), "", null, "PHONE"),
        "OFX" => ("", Phone(), "", null, "FAX"),
        "OZIP" => ("", _random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture), "", null, "LOCATION"),
        "OIP" => ("", Pick("203.0.113.", "198.51.100.", "192.0.2.") + _random.Next(1, 255).ToString(CultureInfo.InvariantCulture), "", null, "IP"),
        "ORM" => (Pick("Room ", "Suite ", "Conference Room ", "Classroom ", "Garage "), Pick(_random.Next(1, 999).ToString(CultureInfo.InvariantCulture), $"{_random.Next(1, 9)}{Letter()}"), "", null, null),
        "N" => ("", Pick(_random.Next(2, 40).ToString(CultureInfo.InvariantCulture), _random.Next(100, 9999).ToString("N0", CultureInfo.InvariantCulture), $"{_random.Next(50, 100)}%"), "", null, null),
        "FX" => ("", Phone(), "", "FAX", "FAX"),
        "EM" => ("", PersonalEmail(), "", "EMAIL", "EMAIL"),
        "OEM" => ("", $"{Pick("info", "appointments", "media", "volunteer", "careers")}@{Domain(org)}", "", null, "EMAIL"),
        "U" => ("", $"{Pick("gofundme.com/f/", "www.gofundme.com/f/", "mealtrain.com/trains/", "caringbridge.org/visit/", "https://gofund.me/")}{First().ToLowerInvariant()}-{Pick("recovery", "strong", "fund", "journey", "support")}", "", "URL", "URL"),
        "OU" => ("", $"{Pick("", "www.", "https://")}{Domain(org)}{Pick("", "/flu", "/careers", "/events")}", "", null, "URL"),
        "RM" => (Pick("room ", "rm ", "bed ", "bay ", "Bay ", "chair ", "Room ", "trauma bay ", "infusion chair "), _random.Next(1, Chance(0.5) ? 30 : 4999).ToString(CultureInfo.InvariantCulture), "", "ID", "ID"),
        "IDN" => ("", _random.Next(1, 40).ToString(CultureInfo.InvariantCulture), "", "ID", "ID"),
        "MRNN" => ("", Digits(7), "", "MRN", "MRN"),
        "MRN" => (Pick("MRN ", "MRN: ", "MRN #", "med rec # ", "chart # ", "MR# "), Code(_random.Next(6, 9)), "", "MRN", "MRN"),
        "HP" => (Pick("Medicaid ID ", "Medicare # ", "member ID ", "BCBS ID ", "policy # ", "Humana ID ", "Aetna ID ", "UHC member # ", "Cigna ID ", "Tricare ID ", "Anthem ID ", "Medicaid ID (", "insurance ID was "), Pick("", "XQ", "W", "MBI ") + Digits(_random.Next(8, 11)), "", "HEALTH_PLAN", "HEALTH_PLAN"),
        "HPC" => (Pick("Medicaid # ", "member ID ", "plan ID ", "insurance ID "), Code(_random.Next(8, 12)), "", "HEALTH_PLAN", "HEALTH_PLAN"),
        "AC" => (Pick("account #", "acct ", "billing account ", "account number "), Digits(_random.Next(7, 11)), "", "ACCOUNT", "ACCOUNT"),
        "LI" => (Pick("driver's license ", "DL# ", "fishing license ", "license no. ", "hunting license ", "CDL ", "contractor lic. ", "drivers license that expired in 2019, number ", "license, number ", "DL "), Chance(0.5) ? Letter() + Digits(_random.Next(6, 9)) : Code(_random.Next(6, 11)), "", "LICENSE", "LICENSE"),
        "VE" => (Pick("plate ", "license plate ", "tag "), Plate(), "", "VEHICLE", "VEHICLE"),
        "DV" => (Pick("serial ", "SN ", "serial # ", "device ID ", "pump serial ", "processor SN "), Chance(0.5) ? Letter() + Letter() + Letter() + Digits(6) + Letter() : Code(_random.Next(7, 12)), "", "DEVICE", "DEVICE"),
        "SSN" => ("", Ssn(), "", "SSN", "SSN"),
        "IP" => ("", Pick("203.0.113.", "198.51.100.", "192.0.2.") + _random.Next(1, 255).ToString(CultureInfo.InvariantCulture), "", "IP", "IP"),
        "PHOTO" => ("", Photo(), "", "PHOTO", "PHOTO"),
        "ORG" => ("", org, "", null, null),
        "UNIT" => ("", Pick("4 North", "PICU", "MICU", "5 West", "the NICU", "L&D", "3 South"), "", null, null),
        "CW" => ("", _nameWords[_random.Next(_nameWords.Length)], "", null, null),
        "cw" => ("", _nameWords[_random.Next(_nameWords.Length)].ToLowerInvariant(), "", null, null),
        "OLD" => ("", $"{_random.Next(2, 250)}-year-old", "", null, null),
        "CLIN" => ("", Clinical(), "", null, null),
        "DRUG" => ("", Pick("metoprolol 25 mg PO BID", "furosemide 40 mg IV", "heparin drip", "insulin glargine 20 units qHS", "vancomycin 1 g q12h", "Tylenol 650 mg PRN", "lisinopril 10 mg daily", "Zofran 4 mg IV"), "", null, null),
        _ => throw new InvalidOperationException($"Unknown template slot '{slot}'."),
    };

    private (string, string, string, string?, string?) PatientName()
    {
        var roll = _random.NextDouble();
        if (roll < 0.15)
        {
            return (Pick("Mr. ", "Mrs. ", "Ms. ", "Mr ", "Mrs "), Surname(), "", "NAME", "NAME");
        }

        var value = roll switch
        {
            < 0.45 => $"{PatientFirst()} {Surname()}",
            < 0.70 => PatientFirst(),
            < 0.75 => $"{PatientFirst()} {Letter()}. {Surname()}",
            < 0.80 => $"{PatientFirst()} {First()} {Surname()}",
            < 0.83 => $"{PatientFirst()} {Surname()}-{Surname()}",
            < 0.90 => First().ToLowerInvariant(),
            < 0.93 => $"{PatientFirst()} {Surname()}".ToUpperInvariant(),
            _ => Surname(),
        };
        return ("", value, "", "NAME", "NAME");
    }

    private (string, string, string, string?, string?) StaffName()
    {
        var roll = _random.NextDouble();
        return roll switch
        {
            < 0.25 => (Pick("Dr. ", "Dr ", "dr. "), Chance(0.5) ? Surname() : $"{First()} {Surname()}", "", null, "NAME"),
            < 0.50 => ("", $"{First()} {Surname()}", Pick(", RN", ", MD", ", NP", " RN", ", PA-C", ", DO", ", PharmD", " (PT)"), null, "NAME"),
            < 0.70 => (Pick("Nurse ", "Chaplain ", "our charge nurse ", "our nurse manager ", "Dr. ", "respiratory therapist ", "Pharmacist "), First(), "", null, "NAME"),
            < 0.78 => (Pick("thanks to ", "shoutout to ", "kudos to ", "congrats to ", "please welcome "), $"{First()} {Surname()}", Pick(" from our lab", " in pharmacy", ", our new director", ""), null, "NAME"),
            < 0.85 => (Role() + " ", $"{First()} {Surname()}", "", null, "NAME"),
            _ => (Pick("Dr. ", "Prof. "), $"{First()} {Letter()}. {Surname()}", "", null, "NAME"),
        };
    }

    private static readonly string[] TopicWords =
    [
        "Patient", "Safety", "Nurse", "Nursing", "Rural", "Residency", "Surgical", "Education", "Healthcare", "Leadership",
        "Fetal", "Surgery", "Diabetes", "Reversed", "Heart", "Health", "Cancer", "Awareness", "Stroke", "Recovery",
        "Rehab", "Cardiac", "Pediatric", "Oncology", "Wellness", "Mental", "Community", "Care", "Team", "Strong", "Proud",
        "Hospital", "Medicine", "Research", "Trauma", "Emergency", "Quality", "Infection", "Prevention", "Hand", "Hygiene",
        "Flu", "Season", "Volunteer", "Thank", "You", "Public", "Maternal", "Newborn", "Hospice", "Palliative", "Kidney",
        "Transplant", "Donor", "Organ", "Blood", "Lab", "Week", "Month", "Life", "Hero", "Heroes", "Grateful", "Family",
    ];

    private static readonly string[] Roles =
    [
        "exercise physiologist", "physical therapist", "respiratory therapist", "care coordinator", "financial counselor",
        "patient navigator", "dietitian", "pharmacist", "chaplain", "volunteer", "donor", "educator", "sonographer",
        "phlebotomist", "paramedic", "interpreter", "social worker", "case manager", "scheduler", "lab tech", "PT", "OT",
        "RT", "CNA", "LPN", "MLS", "fellow", "resident", "attending", "surgeon", "anesthesiologist", "nurse practitioner",
        "Olympic skier", "author", "coach", "board member", "trustee", "intern", "student nurse", "housekeeper",
        "preceptor", "team lead", "medical director", "nurse director", "bereavement coordinator", "charge nurse",
        "PA-C", "chief resident", "child life specialist", "unit secretary", "EVS tech", "security officer", "chef",
        "facilities manager", "nurse educator", "clinical nurse specialist", "doula", "midwife", "lactation consultant",
    ];

    private static string Plural(string role) => role switch
    {
        "PA-C" or "PT" or "OT" or "RT" or "CNA" or "LPN" or "MLS" => role + "s",
        "chief resident" => "chief residents",
        _ when role.EndsWith("ch", StringComparison.Ordinal) || role.EndsWith('s') => role + "es",
        _ => role + "s",
    };

    private string Role() => Roles[_random.Next(Roles.Length)];

    /// <summary>Two staff named after one plural role ("exercise physiologists Dana Pruitt and Marco Liu"): the second shares the first's role.</summary>
    private (string, string, string, string?, string?) StaffPair()
    {
        var role = Role();
        var plural = role.EndsWith('s') ? role : role + "s";
        return ($"{Pick("", "our ", "thanks to ", "and ")}{plural} {First()} {Surname()} and ", $"{First()} {Surname()}", "", null, "NAME");
    }

    private string Date()
    {
        var month = _random.Next(1, 13);
        var day = _random.Next(1, 29);
        var year = _random.Next(1925, 2027);
        var name = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);
        var abbr = CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(month);
        var weekday = Pick("Monday", "Tuesday", "Wed", "Thurs", "Friday", "Saturday", "Sunday", "Tues");
        return _random.Next(17) switch
        {
            14 => weekday,
            15 => name,
            16 => Pick("Easter Sunday", "Christmas Eve", "Thanksgiving", "New Year's Day", "the Fourth of July", "Mother's Day"),
            0 => $"{name} {day}",
            1 => $"{abbr} {day}",
            2 => $"{month}/{day}",
            3 => $"{month:00}/{day:00}/{year}",
            4 => $"{month}/{day}/{year % 100:00}",
            5 => $"{name} {day}{Ordinal(day)}",
            6 => $"{name} {day}, {year}",
            7 => $"{weekday} {month}/{day}",
            8 => $"{weekday}, {name} {day}",
            9 => $"{year}-{month:00}-{day:00}",
            10 => $"the {day}{Ordinal(day)}",
            11 => $"{abbr}. {day}",
            12 => $"{day} {name}",
            _ => $"the {day}{Ordinal(day)} of {name}",
        };
    }

    private (string, string, string, string?, string?) OldAge()
    {
        var age = _random.Next(90, 108);
        return _random.Next(6) switch
        {
            0 => ("", $"{age}-year-old", "", "AGE", "AGE"),
            1 => ("", $"{age}{Ordinal(age)}", " birthday", "AGE", "AGE"),
            2 => ("(", age.ToString(CultureInfo.InvariantCulture), ")", "AGE", "AGE"),
            3 => ("", Words(age), " years young", "AGE", "AGE"),
            4 => ("age ", age.ToString(CultureInfo.InvariantCulture), "", "AGE", "AGE"),
            _ => ("", age.ToString(CultureInfo.InvariantCulture), " years old", "AGE", "AGE"),
        };
    }

    private string YoungAge()
    {
        var age = _random.Next(18, 90);
        return _random.Next(3) switch
        {
            0 => $"{age}-year-old",
            1 => $"{age}yo",
            _ => $"{age} years old",
        };
    }

    private static string Words(int age)
    {
        string[] tens = ["ninety", "one hundred"];
        string[] ones = ["", "-one", "-two", "-three", "-four", "-five", "-six", "-seven", "-eight", "-nine"];
        return age < 100 ? tens[0] + ones[age - 90] : age == 100 ? "one hundred" : "one hundred and " + ones[age - 100].TrimStart('-');
    }

    private string Town()
    {
        var (town, state) = _places[_random.Next(_places.Length)];
        return _random.Next(4) == 0 ? $"{town}, {state}" : town;
    }

    private string Address()
    {
        var street = Pick(Surname(), "Oak", "Maple", "Pecan", "Mesquite", "Larkspur", "Cedar", "Elm", "Main", "Ridge", "Willow", "Aspen");
        var suffix = Pick("St", "Street", "Ave", "Avenue", "Rd", "Lane", "Dr", "Ct", "Blvd", "Way");
        var dir = Pick("", "", "W ", "N ", "E ", "S ");
        var unit = Pick("", "", "", " Apt 2B", " Apt 4", " #12", " Unit 3");
        var address = $"{_random.Next(1, 9999)} {dir}{street} {suffix}{unit}";
        if (Chance(0.25))
        {
            var (town, state) = _places[_random.Next(_places.Length)];
            address += $", {town} {state} {_random.Next(10000, 99999)}";
        }

        return address;
    }

    private string Workplace()
    {
        var town = _places[_random.Next(_places.Length)].Town;
        return _random.Next(6) switch
        {
            0 => $"{town} {Pick("High School", "Elementary", "Middle School", "Community College", "High")}",
            1 => $"{Surname()} {Pick("Roofing", "Creamery", "Lumber", "Auto Body", "Farms", "Construction", "Feed & Seed")}",
            2 => $"{Surname()}'s {Pick("Diner", "Cafe", "Hardware", "Garage", "Bakery")}",
            3 => $"{town} {Pick("Volunteer Fire", "Fire Department", "Public Library", "Post Office", "Senior Center")}",
            4 => $"{Pick("North", "South", "East", "West", "Northeast", "Southwest")} {town}",
            _ => $"the {town} {Pick("mill", "plant", "mine", "elevator", "factory")}",
        };
    }

    /// <summary>An identifier in one of the shapes records use: letter prefixes, dashes, digit groups.</summary>
    private string Code(int digits)
    {
        var prefix = _random.Next(4) switch
        {
            0 => "",
            1 => Letter() + Letter(),
            2 => Letter() + Letter() + Letter(),
            _ => Letter(),
        };
        var dash = prefix.Length > 0 && Chance(0.4) ? "-" : "";
        var body = Digits(digits);
        if (Chance(0.3) && digits >= 6)
        {
            body = body[..(digits / 2)] + "-" + body[(digits / 2)..];
        }

        return prefix + dash + body;
    }

    private static readonly string[] Headers =
    [
        "Neuro:", "CV:", "Resp:", "GI:", "GU:", "Skin:", "Ext:", "Psych:", "HEENT:", "Assessment:", "Plan:", "A/P:",
        "Dispo:", "ROS:", "PMH:", "PSH:", "Meds:", "Allergies:", "Labs:", "Imaging:", "Social:", "Vitals:", "Exam:",
        "Impression:", "Recommendations:", "Subjective:", "Objective:", "Course:", "Access:", "Lines:", "Diet:", "Activity:",
    ];

    private static readonly string[] Drugs =
    [
        "Lasix", "Coreg", "Eliquis", "Xarelto", "Keppra", "Protonix", "Zosyn", "Rocephin", "Norco", "Dilaudid", "Ativan",
        "Haldol", "Seroquel", "Lovenox", "Coumadin", "Plavix", "Lipitor", "Synthroid", "Prednisone", "Solu-Medrol",
        "Decadron", "Flagyl", "Cipro", "Levaquin", "Bactrim", "Augmentin", "Keflex", "Tylenol", "Motrin", "Toradol",
        "Zofran", "Reglan", "Colace", "Senna", "Miralax", "Ambien", "Benadryl", "Pepcid", "Lantus", "Humalog",
        "metformin", "amlodipine", "hydralazine", "labetalol", "nitroglycerin", "heparin", "insulin", "magnesium",
        "potassium chloride", "vancomycin", "cefepime", "azithromycin", "albuterol", "DuoNeb", "Spiriva", "Flomax",
        "Foley", "Precedex", "propofol", "fentanyl", "morphine", "oxycodone", "gabapentin", "sertraline", "Lexapro",
    ];

    private static readonly string[] Findings =
    [
        "A&Ox3", "PERRLA", "CTAB", "RRR, no m/r/g", "abd soft, NT/ND", "no edema", "2+ pulses b/l", "Foley in place",
        "PICC RUE", "NGT to LIWS", "JP drain with serosanguinous output", "sacrum intact", "incision C/D/I",
        "tolerating clears", "ambulating with PT", "afebrile overnight", "on 2 L NC", "SpO2 94% RA", "BP 142/88",
        "HR 104, sinus tach", "no acute distress", "mild tenderness RLQ", "crackles at bases", "wheezes diffusely",
        "moving all extremities", "GCS 15", "pain 4/10", "UOP 30 mL/hr", "I/O net negative 1.2 L", "Na 134, K 3.2",
        "Cr 1.4 from 1.0", "WBC 12.1, Hgb 8.9, Plt 210", "INR 2.3", "lactate 2.1", "trop <0.01", "BNP 890",
        "CXR with b/l infiltrates", "CT A/P neg", "EKG NSR", "echo EF 35%", "MRI brain pending", "BCx NGTD",
    ];

    private static readonly string[] Problems =
    [
        "NPO", "SOB", "CP", "N/V", "HTN", "HLD", "CAD", "COPD", "CKD", "AKI", "DVT", "PE", "UTI", "CHF", "DM2", "OSA",
        "GERD", "BPH", "AFib", "sepsis", "pneumonia", "cellulitis", "SBO", "GI bleed", "CVA", "TIA", "syncope", "DKA",
    ];

    /// <summary>A line of a clinical note: section headers, drugs, doses, exam findings and abbreviations, none of them PHI.</summary>
    private string Clinical()
    {
        var drug = Drugs[_random.Next(Drugs.Length)];
        var dose = $"{Pick("5", "10", "20", "25", "40", "80", "250", "500", "650", "1", "2", "4")} {Pick("mg", "mcg", "g", "units", "mEq", "mL")} {Pick("PO", "IV", "IM", "SQ", "SL")} {Pick("daily", "BID", "TID", "q6h", "q8h", "qHS", "PRN", "once")}";
        var finding = Findings[_random.Next(Findings.Length)];
        var problem = Problems[_random.Next(Problems.Length)];
        var header = Headers[_random.Next(Headers.Length)];
        return _random.Next(6) switch
        {
            0 => $"{header} {finding}",
            1 => $"{header} {Pick("start", "continue", "hold", "increase", "wean", "d/c")} {drug} {dose}",
            2 => $"{Pick("Pt", "Patient", "Pt.")} {Pick("c/o", "with", "s/p", "h/o", "denies")} {problem}, {finding}",
            3 => $"{drug} {dose} for {problem}",
            4 => $"{header} {problem} {Pick("improving", "resolved", "stable", "worsening")}; {finding}",
            _ => $"{Pick("Abdomen", "Chest", "Heart", "Lungs", "Skin", "Extremities", "Incision", "Wound", "Neck", "Back")}: {finding}",
        };
    }

    /// <summary>The phrase announcing an image of the patient, in many wordings.</summary>
    private string Photo()
    {
        var noun = Pick("photo", "photos", "pic", "pics", "picture", "video", "selfie", "screenshot", "before & after photos", "side-profile pics");
        var whose = Pick("his", "her", "their", "the patient's", "my patient's");
        var what = Pick("face", "wristband", "chart", "monitor", "screen", "band", "scan", "x-ray", "incision", "room");
        var where = Pick(" below", " attached", " 👇", " in the comments", "");
        return _random.Next(3) switch
        {
            0 => $"{noun} of {whose} {what}{where}",
            1 => $"{noun} with {Pick("him", "her", "them")}{where}",
            _ => $"{Pick("see", "check out", "here's", "attached:")} {Pick("the", "this", "our")} {noun} of {Pick("him", "her", "them")}",
        };
    }

    private string Phone()
    {
        var area = _random.Next(201, 990);
        var line = $"01{_random.Next(0, 100):00}";
        return _random.Next(6) switch
        {
            0 => $"({area}) 555-{line}",
            1 => $"{area}.555.{line}",
            2 => $"+1 {area} 555 {line}",
            3 => $"{area}-555-{line}",
            4 => $"{area}555{line}",
            _ => $"1-{area}-555-{line}",
        };
    }

    private string PersonalEmail()
    {
        var first = First().ToLowerInvariant();
        var last = Surname().ToLowerInvariant();
        var user = _random.Next(4) switch
        {
            0 => $"{first}.{last}",
            1 => $"{first}{last}{_random.Next(1, 99)}",
            2 => $"{first[0]}{last}",
            _ => $"{first}_{_random.Next(50, 99)}",
        };
        return $"{user}@{Pick("gmail.com", "yahoo.com", "hotmail.com", "aol.com", "icloud.com", "outlook.com")}";
    }

    private string Plate() => _random.Next(3) switch
    {
        0 => $"{Letter()}{Letter()}{Letter()}-{Digits(4)}",
        1 => $"{_random.Next(1, 9)}{Letter()}{Letter()}{Letter()}{Digits(3)}",
        _ => $"{Letter()}{Letter()}{Letter()}{Digits(4)}",
    };

    private string Ssn()
    {
        var area = _random.Next(1, 665);
        var text = $"{area:000}-{_random.Next(1, 99):00}-{_random.Next(1, 9999):0000}";
        return Chance(0.2) ? text.Replace("-", " ", StringComparison.Ordinal) : text;
    }

    private string OrgName()
    {
        var town = _places[_random.Next(_places.Length)].Town;
        return $"{town} {Pick("Regional Medical Center", "Health", "Memorial Hospital", "General", "Children's", "County Hospital", "Academic Health")}";
    }

    private static string Domain(string org) =>
        new string(org.Where(char.IsLetter).Take(14).ToArray()).ToLowerInvariant() + Pick2(org.Length, ".org", ".com", ".health");

    private static string Pick2(int key, params string[] options) => options[key % options.Length];

    private string First() => _firstNames[Skewed(_firstNames.Length)];

    private string Surname() => _surnames[Skewed(_surnames.Length)];

    /// <summary>Favours the front of a frequency-sorted list without ignoring its tail, as real names do.</summary>
    private int Skewed(int length) => (int)(length * Math.Pow(_random.NextDouble(), 2.2));

    /// <summary>
    /// A patient's or relative's given name. In the social draw one in eight is a name that is also an ordinary word
    /// (Hope, Summer, Major), capitalised: the sentence, not the name list, must say it is a person.
    /// </summary>
    private string PatientFirst()
    {
        var name = First();
        return _draw.HasFlag(SocialDraw.WordNames) && _variant.NextDouble() < 0.125 ? _nameWords[_variant.Next(_nameWords.Length)] : name;
    }

    private string Casing(string name) => Chance(0.1) ? name.ToLowerInvariant() : name;

    private string Letter() => ((char)('A' + _random.Next(26))).ToString();

    private string Digits(int count)
    {
        var chars = new char[count];
        for (var k = 0; k < count; k++)
        {
            chars[k] = (char)('0' + _random.Next(10));
        }

        return new string(chars);
    }

    private static string Ordinal(int n) => (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };

    private bool Chance(double p) => _random.NextDouble() < p;

    private string Pick(params string[] options) => options[_random.Next(options.Length)];

    private string Tag(params string[] options) => options[_tags.Next(options.Length)];

    private static (string[], string[], (string, string)[], string[]) ReadLists()
    {
        static string Title(string word) => word.Length == 0 ? word : word[0] + word[1..].ToLowerInvariant();

        // The lists are sorted by frequency; the most frequent few thousand cover most real names.
        var first = NameData.ReadFirstNames().OrderByDescending(f => f.Count).Take(6000).Select(f => Title(f.Word)).ToArray();
        var sur = NameData.ReadSurnames().OrderByDescending(s => s.Count).Take(20000).Select(s => Title(s.Word)).ToArray();
        var places = NameData.ReadPlaceLines().Select(l => l.Split('\t')).Where(p => p.Length == 2 && p[0].Length > 2)
            .Select(p => (p[0], p[1])).ToArray();
        // Words that are ordinary English and given names at once (Hope, June, Will, Faith): in everyday sentences they
        // are words, which the model must learn from the sentence rather than from the name list.
        var common = NameData.Shared;
        var nameWords = first.Where(f => common.CommonWords.Contains(f)).ToArray();
        return (first, sur, places, nameWords);
    }

    private sealed record Family(string Name, AccountKind Kind, string[] Templates);

    /// <summary>
    /// A patient's town used as an adjective before what the patient does or is ("a retired {T} dairy farmer"): the
    /// town is still where the patient lives. In the social draw these stand in for one post in ten of the families
    /// that tell a patient's story.
    /// </summary>
    private static readonly string[] HometownTemplates =
    [
        "{P}, a retired {T} dairy farmer, rang the bell on {D} after six weeks of radiation. The whole {UNIT} lined the hall 🔔",
        "Shoutout to the {T} ferry captain who cracked jokes through every dressing change. {P}, you made our week ⛴️",
        "This {T} high school wrestler was up and walking three days after surgery. Go get 'em, {P}! 💪",
        "When a {T} grandma of eleven says she is not leaving without her knitting, you find the knitting. We love you {P} 🧶",
        "{P} is the kind of {T} volunteer firefighter who apologizes for needing help. It was an honor to care for him.",
        "A {T} school bus driver, a broken hip and one very stubborn attitude. Welcome home, {P}!",
        "nobody tells stories like our favorite {T} retiree in {RM}. {P} the night shift already misses you 💙",
        "Big congratulations to {P}, the {T} softball coach who beat sepsis and threw the first pitch on {D} ⚾",
        "{P}: proud {T} grandfather, Navy vet, and the reason our unit keeps peanut butter crackers stocked.",
        "Our {T} beekeeper brought the whole {UNIT} a jar of honey on {D}. Thank you {P}, and thank you {S} for the referral 🐝",
        "{T} mail carriers are tough. {P} finished cardiac rehab with {S} and is back on his route {D}.",
        "the {T} quilting club sent {P} a quilt while she was in {RM} and honestly i cried at the nurses station",
    ];

    /// <summary>
    /// Templates in the styles the labelled posts show: a department's patient story, a nurse's late-night post, an
    /// academic centre's long post naming staff beside patients, a clean announcement with the organisation's own
    /// contact details, a post that names public figures, and clinical notes for the strict profile.
    /// </summary>
    private static readonly Family[] TemplateFamilies =
    [
        new("story", AccountKind.Department, [
            "Going home day 🏠 {P}, born at 26 weeks on {D}, is heading home with mom and dad today! Thank you {S} and the whole {UNIT} team 💙",
            "Round 6 of 6 for {P} in {RM} today 🔔 she rang that bell so hard. So proud of you! {PTAG}",
            "Happy {A} to {P}, our longest-serving volunteer's mom, who has been with us since {D} 🎂",
            "{P} ({A}) walked the hallway today with {S} cheering her on. Discharge planned for {D}.",
            "Congrats to {P} from {T} on ringing the bell after {a} years of waiting for this day! 🎉",
            "Welcome to the world, {P}! Born {D} at 7 lbs 2 oz 👶 Parents {R} and {R} are over the moon.",
            "Our patient {P} in {RM} made us all laugh today. {S} says he is our favorite frequent flyer 😂",
            "Please keep {P} in your thoughts. The family set up a meal train: {U}",
            "After 41 days in {UNIT}, {P} of {T} went home on {D}. Thank you to {S} for never giving up.",
            "{P}'s mom {R} asked us to share their thanks to {S} and the night crew ❤️",
            "my guy in {RM} spent {N} years at {WORK} and still tells me how to run the floor 😂",
            "{N} dog bites from the same street in ZIP {ZIP} this month. All kids, all stitched up and home.",
            "Our trauma team saw a welder from {WORK} today ({LI} still clipped to his vest). Wear the face shield, folks.",
            "Meet {P}, a {A} WWII Army nurse who came in for a hip repair and taught us all a thing or two.",
            "Throwback to {D} when {P} arrived by LifeFlight from {T}. Look at her now! {PHOTO}",
        ]),
        new("mixed", AccountKind.Department, [
            "{S} and {S} spent the night with {P} and her family. Questions about visiting? Call the unit at {OPH}.",
            "{P} finished cardiac rehab today! Thank you to {SS} for every Tuesday class.",
            "So proud of {S}, {SS}, who got {P} back on the field.",
            "Thank you to {SS} for visiting our class, and to {P}'s family for the cake.",
            "Huge thanks to {S}, who caught {P}'s sepsis early on {D}. {P} is home in {T} now.",
            "Day 30 for {P} at {ORG}! Visiting hours and parking: {OU}. Nurse manager {S} says hi 👋",
            "{S}, {S} and {S} ran the code. {P} ({A}) walked out on {D}. {PHOTO}",
            "Our volunteers {S} and {S} knit hats for every baby born this month. Donations: {OEM}.",
            "Kudos to {S} for the {E} wellness fair. Next one at {OAD}, {E}.",
            "{PF} from {WORK} stopped by with donuts for {S} and the night shift ❤️ {PHOTO}",
            "Patient {P}, {HPC}, asked us to send records to {FX}. Please route to {S}.",
            "{P}, starting QB at {WORK}, is back on the field after surgery on {D}. So proud of Dr. {SN}, {RL} Drs. {SN} and {SN}, and {ROLE} {SN}. {PTAG}",
            "{P} is home! Thank you to {ROLE} {SC} and {RL} {SN} and {SN} for getting {PF} there. Questions about our program? {OPH}",
            "Welcome home, {P}! {PTAG} Thanks to {ROLE} {SN} and the {UNIT} team. Tours of our unit: {OU}",
        ]),
        new("nurse", AccountKind.Personal, [
            "pt in {RM} keeps asking for {S} lol. mr {P} u are a legend",
            "if anyone knows {P} from {T} pls tell her to call her daddys nurse back 😩 left 3 msgs at {PH}",
            "12 hr shift done. {PF} in {RM} finally slept. night y'all 🌙",
            "that {A} lady in {RM} told me she drove herself in from {T} 😂 queen",
            "dude parked his truck across both bays, {VE} — ur truck got moved, ur in trauma bay {IDN}",
            "{PF} ur chest tube came out today!!! so happy for u, see u at clinic {D} {PTAG}",
            "sweetest grandma in {RM} gave me her email ({EM}) so i can send pics of my baby 🥹",
            "pt's wife {R} keeps calling the unit, her cell is {PH}, can someone on days call her back",
            "found a wallet in the ED waiting room, DL {LI}, name {P}. dropped at security",
            "his pacemaker {DV} was interrogated at bedside. {PF} is doing great",
        ]),
        new("academic", AccountKind.Branded, [
            "Grand rounds this week: {S} presents the case of a {a} man with refractory angina, with {S} discussing. {E} at noon, {UNIT} conference room.",
            "Proud of our team: {S} and {S} operated on {P}, a {A} retired farmer from {T}, on {D}. He went home walking.",
            "Congratulations to {S} on the teaching award! Nominated by {RL} {SN} and {SN}.",
            "Our fellows {S} and {S} presented at the national meeting on {E}. Patient {P} (MRN {MRNN}) gave consent to share her imaging.",
            "{S} led the first TAVR at our center; patient {P}, {A}, of {T} is home and doing well.",
            "Today {S} met {P} again, the boy she treated for leukemia on {D}. He is now a nursing student at {WORK}.",
        ]),
        new("contact", AccountKind.Enterprise, [
            "Flu shots are here! Walk in Mon-Fri at {OAD} or call {OPH}. More at {OU}",
            "Questions about your bill? Email {OEM} or call our billing office at {OPH}.",
            "Join us {E} for the community health fair at {OAD}. Free screenings for adults 50+ 🩺",
            "Now hiring nurses in {UNIT}! Apply at {OU} or email {OEM} 💼",
            "Our new clinic in {OT} opens {E}. Call {OPH} for appointments.",
            "Men 55–69 should talk to their doctor about prostate screening. Call {OPH} to book with {S}.",
            "Visitor hours change on {E} for construction. Enter at {OAD}.",
        ]),
        new("announce", AccountKind.Department, [
            "Billing help is open weekdays 8–5 at {OPH}. We never ask for card numbers by text.",
            "Records requests go through {OU}; signed forms by fax to {OFX}.",
            "Please welcome Dr. {SN}, our new {ROLE} 🫀 She joins Dr. {SN} and {ROLE} {SN} in our clinic at {OAD}, {OT}, {OZIP}.\n\nReferrals: {OPH} · fax {OFX}",
            "{ORG} Pavilion opens {E} at {OAD}, {OT} {OZIP} 🎗️ Led by {ROLE} Dr. {SN} and {ROLE} {SC}. Appointments: {OPH}.",
            "Visiting hours change {E}: general units 8am–9pm. Questions? Stop by Guest Services in {ORM} or call {OPH}.",
            "Our support group meets Tuesdays at 6pm starting {E} in {ORM}. Led by {ROLE} {SC}. Free and open to all 💜 {OPH}",
            "Happy work anniversary to {ROLE} {SN}, who started at {ORG} on {E} 🎉",
            "Congratulations to our graduating {RL}, Drs. {SN}, {SN} and {SN}! Graduation is {E} at 6pm, {OAD}.",
            "Thank you to {RL} {SN} and {SN}, and to the {OT} Foundation for funding it. Applications close {E}.",
            "Our network is moving {E}. Staff VPN will point to {OIP} overnight; support at {OEM} or {OU}.",
            "Night shift report: {N} RNs, one intensivist (Dr. {SN}), {N} beds full. New float pool starts {E}.",
            "{N} {RL} answered {N} calls last year. Thank you to {ROLE} {SC} for keeping them going!",
            "Kudos to {ROLE} {SN} for leading {E}'s safety huddle. Next huddle {E} in {ORM}; call {OPH} to join.",
            "Flu clinic {E}, 7am–noon, {OAD}. Walk-ins welcome. Info: {OEM} or {OPH}",
            "Now hiring {RL}! Open house {E} at {OAD}. Apply at {OU} or call recruiter {SN} at {OPH}.",
        ]),
        new("identifiers", AccountKind.Personal, [
            "lol this pt's mom texted me a pic of the insurance card, {HP}, and her SSN {SSN} 🤦",
            "Patient {P}, DOB {D}, {MRN}, needs a callback at {PH}.",
            "Billing question for {P}: {AC}, fax records to {FX}.",
            "Family fundraiser for {P}: {U} — please share! They live at {AD}.",
            "Somebody logged into the portal as {P} from IP {IP} again, {MRN}.",
            "claim came back because someone keyed {HP} as {AGAIN}. check the card twice y'all",
            "two pts, one chart: {MRN} got scanned in place of {AGAIN}. caught it before meds thank god",
            "same last name, same birthday ({D}), charts {MRNN} and {AGAIN}. two bands, read them both",
            "family member yelled his SSN {SSN}, {HP} and {AC} across the waiting room, then {AGAIN} for his brother",
            "guy at triage gave me a {LI} from three states ago 🙄",
            "{P}'s daughter {R} ({EM}) wants the discharge papers from {D} mailed to {AD}, {ZIP}.",
        ]),
        new("public", AccountKind.Personal, [
            "Vote for {PUB} on {E}! Healthcare is on the ballot.",
            "{PUB} visited our {UNIT} today with {S}. Great conversation about rural access.",
            "Loved hearing {PUB} speak at {ORG} about nurse staffing.",
            "{ORG} is proud to endorse {PUBN} for {OFFICE}.",
            "Our nurses back {PUBN} for {OFFICE}: {PUBN} voted for safe staffing every time.",
            "Vote {PUBN} for {OFFICE} on {E}! Early voting at {OAD}.",
            "Read the new book by {S} on burnout; signing at {OAD} on {E}.",
        ]),
        new("everyday", AccountKind.Enterprise, [
            "{CW} your week is off to a calm start. Ours is not!",
            "{CW} brings the farmers market back to our parking lot. See you there.",
            "{CW} and the rest of the team say thanks for the {cw} you showed us this week.",
            "The {OLD} chapel wing reopens with new windows, and the {OLD} tradition of the holiday bake sale lives on.",
            "{CW} matters. Flu clinic at {OAD} {E}, no appointment needed.",
            "The {OLD} oak outside the {UNIT} entrance came down in the storm; nobody was hurt.",
            "{CW} we see you at the 5K? Registration at {OU}.",
            "A {OLD} hospital still learning: {cw}, patience and good coffee 🙂",
        ]),
        new("note", AccountKind.Enterprise, [
            "Pt {P} is a {a} M admitted {D} with SOB and CP. Hx CHF, DM2. On {DRUG}. NPO after midnight. Seen by {S}.",
            "HPI: {P}, {A} F, presents from {T} with fall at home on {D}. CT head neg. Plan: PT/OT eval, {DRUG}, f/u with {S} {E}.",
            "Discharge summary: {P} ({MRN}) admitted {D}, discharged {D}. Dx: pneumonia. Meds: {DRUG}. Contact {PH}. Lives at {AD}.",
            "Progress note {D}: Pt afebrile, BP 128/76, HR 88, SpO2 96% RA. Abd soft, NT/ND. Continue {DRUG}. Attending: {S}.",
            "Consult: {S} asked to see {P} in {RM} for AKI. Cr 2.1 from 1.0. Hold lisinopril. Renal US ordered.",
            "Pt's daughter {R} called at {PH} re: transfer to rehab in {T}. SW {S} notified. Insurance {HP}.",
            "Nursing note: {P} ambulated 50 ft with walker, tolerated well. Pain 3/10. IV site L forearm clean. {DRUG} given.",
            "ED note: {a} M BIBA from {AD} after MVC. GCS 15. C-spine cleared. Tdap given. D/c home with {S} f/u on {E}.",
            "{CLIN}. {CLIN}. {CLIN}.",
            "{CLIN}\n{CLIN}\n{CLIN}\nSigned: {S}",
            "{P} ({a} F), {MRN}. {CLIN}. {CLIN}. Next visit {E} with {S}.",
            "Pt {P} seen {D}. {CLIN}. {CLIN}. Daughter {R} updated at {PH}.",
            "{CLIN}. {CLIN}. Family in {T} aware. {CLIN}.",
            "Transfer note {D}: {CLIN}. {CLIN}. Accepting: {S} at {ORG}.",
        ]),
    ];
}
