using System.Text.Json;

namespace Rounds.Web.Features.Audit;

/// <summary>One field of an entry: its value before and after, and whether the change touched it.</summary>
public sealed record AuditField(string Name, string? Before, string? After)
{
    public bool Changed => Before != After;
}

/// <summary>
/// An audit entry as a person reads it: a sentence instead of an action key, a link to the record where Rounds has a
/// page for it, and the stored before/after snapshots as a table of fields instead of raw JSON.
/// </summary>
public static class AuditReading
{
    private static readonly Dictionary<string, string> Verbs = new(StringComparer.Ordinal)
    {
        ["created"] = "created",
        ["updated"] = "changed",
        ["deleted"] = "deleted",
        ["removed"] = "removed",
        ["recorded"] = "recorded",
        ["submitted"] = "submitted",
        ["approved"] = "approved",
        ["rejected"] = "rejected",
        ["voted"] = "voted on",
        ["overridden"] = "overrode the screening of",
        ["retired"] = "retired",
        ["imported"] = "imported",
        ["invited"] = "invited",
        ["role_changed"] = "changed the role of",
    };

    /// <summary>"Casey Admin changed the account policy." from <c>account_policy.updated</c>.</summary>
    public static string Sentence(AuditEntry entry)
    {
        var dot = entry.Action.LastIndexOf('.');
        var subject = Words(dot > 0 ? entry.Action[..dot] : entry.EntityType);
        var verb = dot > 0 ? entry.Action[(dot + 1)..] : entry.Action;
        var actor = entry.ActorName.Length > 0 ? entry.ActorName : "Rounds";
        return Verbs.TryGetValue(verb, out var phrase)
            ? $"{actor} {phrase} the {subject}."
            : $"{actor}: {subject}, {Words(verb)}.";
    }

    /// <summary>The page of the record the entry is about, for the records that have one; null otherwise.</summary>
    public static string? Link(string slug, AuditEntry entry) =>
        Guid.TryParse(entry.EntityId, out var id)
            ? entry.EntityType switch
            {
                "SocialAccount" => $"/o/{slug}/accounts/{id}",
                "Post" => $"/o/{slug}/posts/{id}",
                "AccountRequest" => $"/o/{slug}/requests/{id}",
                "LibraryItem" => $"/o/{slug}/library/{id}/edit",
                _ => null,
            }
            : null;

    /// <summary>
    /// The fields of the before and after snapshots side by side, changed ones first. A snapshot that is not a
    /// JSON object (older entries hold plain text) is shown whole as one field.
    /// </summary>
    public static IReadOnlyList<AuditField> Fields(string? before, string? after)
    {
        var old = Flatten(before);
        var now = Flatten(after);
        return old.Keys.Union(now.Keys, StringComparer.Ordinal)
            .Select(name => new AuditField(name, old.GetValueOrDefault(name), now.GetValueOrDefault(name)))
            .OrderBy(f => f.Changed ? 0 : 1)
            .ToList();
    }

    private static Dictionary<string, string?> Flatten(string? snapshot)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(snapshot))
        {
            return fields;
        }

        try
        {
            using var document = JsonDocument.Parse(snapshot);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                fields["value"] = Text(document.RootElement);
                return fields;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                fields[Words(property.Name)] = Text(property.Value);
            }
        }
        catch (JsonException)
        {
            fields["value"] = snapshot;
        }

        return fields;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => value.GetRawText(),
    };

    /// <summary>"account_request", "AccountRequest" and "ownerHasSeat" as words: "account request", "owner has seat".</summary>
    private static string Words(string key)
    {
        var words = new System.Text.StringBuilder(key.Length + 8);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c is '_' or '-' or '.')
            {
                words.Append(' ');
            }
            else if (char.IsUpper(c) && i > 0 && !char.IsUpper(key[i - 1]))
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                words.Append(char.ToLowerInvariant(c));
            }
        }

        return words.ToString();
    }
}
