using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Publishing;

/// <summary>A flagged detail of a revision: what kind and which rule, never the words or where they stood.</summary>
public sealed record RevisionFindingDto(string Key, string Category, string Type, string Rule, bool Redacted);

public sealed record RevisionDto(
    int Revision, string Editor, DateTimeOffset At, string Text, IReadOnlyDictionary<string, string> Variants,
    IReadOnlyList<RevisionFindingDto> Findings, DateTimeOffset? RedactedAt);

public sealed record DiffPartDto(string Kind, string Text);

public sealed record RevisionDiffDto(int From, int To, IReadOnlyList<DiffPartDto> Parts);

/// <summary>
/// A post's revisions and the changes between them, as the post page shows them: details a later revision
/// removed appear as placeholders.
/// </summary>
public static class RevisionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var posts = api.MapGroup("/orgs/{org}/posts").WithTags("Publishing").RequireOrg(Role.Contributor);
        posts.MapGet("/{id:guid}/revisions", ListAsync).WithName("ListPostRevisions")
            .WithSummary("Every revision's texts, oldest first; patient details a later revision removed are replaced by placeholders.");
        posts.MapGet("/{id:guid}/diff", DiffAsync).WithName("DiffPostRevisions")
            .WithSummary("Word changes of the post's text between two revisions (?from=&to=, by default the last two), redacted like the revisions.");
    }

    public static async Task<IResult> ListAsync(OrgContext org, Guid id, PostQueries queries, RevisionHistory history, CancellationToken cancellationToken)
    {
        var view = await queries.GetAsync(org, id, cancellationToken);
        if (view is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var revisions = await history.VisibleAsync(org.Id, view.Revisions, cancellationToken);
        return TypedResults.Ok(revisions.Select(r => new RevisionDto(
            r.Revision.Revision, r.Revision.EditorName, r.Revision.At, r.Texts.GetValueOrDefault("") ?? "",
            r.Texts.Where(t => t.Key.Length > 0).ToDictionary(t => t.Key, t => t.Value),
            r.Findings.Select(f => new RevisionFindingDto(f.Key, f.Category, f.Type, f.Rule, f.Redacted)).ToList(),
            r.Revision.RedactedAt)).ToList());
    }

    public static async Task<IResult> DiffAsync(OrgContext org, Guid id, int? from, int? to, PostQueries queries, RevisionHistory history, CancellationToken cancellationToken)
    {
        var view = await queries.GetAsync(org, id, cancellationToken);
        if (view is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var revisions = await history.VisibleAsync(org.Id, view.Revisions, cancellationToken);
        var changes = RevisionHistory.Changes(revisions, from, to);
        if (changes is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [to is { } wanted && revisions.All(r => r.Revision.Revision != wanted) ? "to" : "from"] = [$"Choose two of this post's revisions ({string.Join(", ", revisions.Select(r => r.Revision.Revision))}), the first older than the second."],
            });
        }

        return TypedResults.Ok(new RevisionDiffDto(changes.From, changes.To, changes.Parts.Select(p => new DiffPartDto(AccountNames.Key(p.Kind), p.Text)).ToList()));
    }
}
