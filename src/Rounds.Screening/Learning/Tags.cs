namespace Rounds.Screening.Learning;

/// <summary>
/// The labels the sequence labeller gives each token: <see cref="Outside"/> or one PHI type. Spans are runs of one
/// type (IO tagging): two identifiers of the same type side by side are rare in posts and notes, and a smaller tag set
/// keeps scoring cheap.
/// </summary>
internal static class Tags
{
    public const int Outside = 0;

    public static readonly string[] Names =
    [
        "O", "NAME", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE",
        "DEVICE", "URL", "IP", "LOCATION", "ID", "PHOTO",
    ];

    public static int Count => Names.Length;

    public static int Of(string type)
    {
        var index = Array.IndexOf(Names, type);
        return index > 0 ? index : throw new ArgumentException($"Unknown PHI type '{type}'.", nameof(type));
    }

    public static bool IsKnown(string type) => Array.IndexOf(Names, type) > 0;
}
