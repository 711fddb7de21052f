namespace Rounds.Screening.Rules;

/// <summary>What one rule checks: its id (used in rule sets and findings), the finding type and its default severity.</summary>
public sealed record RuleInfo(string Id, Category Category, string Type, Severity DefaultSeverity, string Description);

/// <summary>Every rule the screener knows. Rule sets refer to these ids; anything else is a validation error.</summary>
public static class RuleCatalog
{
    public const string Name = "phi.name";
    public const string Date = "phi.date";
    public const string Age = "phi.age";
    public const string Phone = "phi.phone";
    public const string Fax = "phi.fax";
    public const string Email = "phi.email";
    public const string Ssn = "phi.ssn";
    public const string Mrn = "phi.mrn";
    public const string HealthPlan = "phi.health-plan";
    public const string Account = "phi.account";
    public const string License = "phi.license";
    public const string Vehicle = "phi.vehicle";
    public const string Device = "phi.device";
    public const string Url = "phi.url";
    public const string Ip = "phi.ip";
    public const string Location = "phi.location";
    public const string Id = "phi.id";
    public const string Photo = "phi.photo";
    public const string Politics = "policy.politics";
    public const string Religion = "policy.religion";
    public const string Vaccine = "policy.vaccine";
    public const string Disclaimer = "policy.disclaimer";
    public const string MedicalClaim = "policy.medical-claim";
    public const string Promotion = "policy.promotion";
    public const string Profanity = "policy.profanity";
    public const string Harassment = "policy.harassment";
    public const string PatientStory = "policy.patient-story";

    public static IReadOnlyList<RuleInfo> All { get; } =
    [
        Phi(Name, "NAME", "A patient's or relative's name."),
        Phi(Date, "DATE", "A date more specific than a year tied to a patient."),
        Phi(Age, "AGE", "An age over 89."),
        Phi(Phone, "PHONE", "A patient's or relative's phone number."),
        Phi(Fax, "FAX", "A patient's or relative's fax number."),
        Phi(Email, "EMAIL", "A patient's or relative's email address."),
        Phi(Ssn, "SSN", "A social security number."),
        Phi(Mrn, "MRN", "A medical record number."),
        Phi(HealthPlan, "HEALTH_PLAN", "A health-plan member or beneficiary number."),
        Phi(Account, "ACCOUNT", "A hospital, billing or card account number."),
        Phi(License, "LICENSE", "A licence or certificate number."),
        Phi(Vehicle, "VEHICLE", "A licence plate or VIN."),
        Phi(Device, "DEVICE", "A device serial number."),
        Phi(Url, "URL", "A URL that identifies a patient."),
        Phi(Ip, "IP", "An IP address."),
        Phi(Location, "LOCATION", "A street address, ZIP code or town tied to a patient."),
        Phi(Id, "ID", "Another identifying number tied to a patient, such as a room or bed number."),
        Phi(Photo, "PHOTO", "Text saying an image of a patient, chart, wristband or screen is attached."),
        Policy(Politics, "POLITICS", Severity.Medium, "Partisan politics, candidates, elections, ballot measures."),
        Policy(Religion, "RELIGION", Severity.Medium, "Religious proselytising or commentary."),
        Policy(Vaccine, "VACCINE", Severity.Medium, "Vaccine advocacy or controversy from a personal account."),
        Policy(Disclaimer, "DISCLAIMER_MISSING", Severity.Medium, "A personal account naming its employer without a 'views are my own' disclaimer."),
        Policy(MedicalClaim, "MEDICAL_CLAIM", Severity.Medium, "Guaranteed or absolute outcome claims."),
        Policy(Promotion, "PROMOTION", Severity.Medium, "A sales push with no value to patients."),
        Policy(Profanity, "PROFANITY", Severity.Medium, "Profanity not aimed at anyone."),
        Policy(Harassment, "PROFANITY", Severity.High, "Profanity or insults aimed at a patient, colleague or the public."),
        Policy(PatientStory, "PATIENT_STORY", Severity.Medium, "A specific patient encounter, identifiable in context."),
    ];

    private static readonly Dictionary<string, RuleInfo> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static RuleInfo? Find(string id) => ById.GetValueOrDefault(id);

    public static RuleInfo Get(string id) => ById[id];

    /// <summary>
    /// Whether a rule set may add terms to the rule: trigger phrases for policy rules, disclaimer wordings, local place
    /// names for locations. A patient story is recognised from its shape, not from words, so it takes none.
    /// </summary>
    public static bool TakesTerms(RuleInfo info) =>
        info.Category == Category.Policy && info.Id != PatientStory || info.Id == Location;

    private static RuleInfo Phi(string id, string type, string description) =>
        new(id, Category.Phi, type, Severity.High, description);

    private static RuleInfo Policy(string id, string type, Severity severity, string description) =>
        new(id, Category.Policy, type, severity, description);
}
