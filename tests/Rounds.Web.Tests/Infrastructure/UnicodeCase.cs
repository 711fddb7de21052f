namespace Rounds.Web.Tests.Infrastructure;

/// <summary>
/// Names whose letters SQLite's built-in <c>lower()</c> leaves alone, each with how someone searching types it
/// (the other case), and a name none of them may find.
/// </summary>
public static class UnicodeCase
{
    public static readonly IReadOnlyList<(string Stored, string Typed)> Pairs =
    [
        ("Émile Ørsted", "émile ørsted"),
        ("zoë öberg", "ZOË ÖBERG"),
        ("Σοφία Λάμπρου", "ΣΟΦΊΑ"),
        ("Дмитрий Иванов", "дмитрий иванов"),
    ];

    /// <summary>The first name's letters without their accents: a search that dropped accents would find it.</summary>
    public const string Unrelated = "Emile Orsted";
}
