using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

/// <summary>Scores a learner's answers to a module's assessment and records the attempt.</summary>
public sealed class SubmitAttempt(RoundsDbContext db, CourseCatalog catalog, TimeProvider clock)
{
    public async Task<Outcome<AssessmentResult>> RunAsync(OrgContext org, Guid moduleId, IReadOnlyDictionary<Guid, IReadOnlySet<int>> picked, CancellationToken cancellationToken = default)
    {
        if (await catalog.ModuleAsync(org, moduleId, cancellationToken) is not var (_, row, module))
        {
            return Outcome.NotFound;
        }

        if (!row.Open)
        {
            return Outcome.Refused("This course is taken in order: pass the modules before this one first.");
        }

        if (Assessment.RefuseAttempt(row.State == ModuleState.Passed, row.AttemptsUsed, module.AttemptLimit) is { } refusal)
        {
            return Outcome.Refused(refusal);
        }

        // An unanswered question is a slip (a missed radio button, a form sent by Enter), not an answer: it is
        // refused before it costs one of a limited number of attempts.
        if (Assessment.Blank(module.Questions, picked) is { Count: > 0 } blank)
        {
            var which = blank.Count == module.Questions.Count ? "No question is answered" : $"Question{(blank.Count == 1 ? "" : "s")} {Join(blank)} {(blank.Count == 1 ? "is" : "are")} not answered";
            return Outcome.Invalid("answers", $"{which}; answer every question. No attempt was used.");
        }

        var result = Assessment.Score(module.Questions, picked, module.PassMark);
        var now = clock.GetUtcNow();
        db.Add(new Attempt
        {
            OrganizationId = org.Id,
            UserId = org.UserId,
            ModuleId = moduleId,
            Number = row.AttemptsUsed + 1,
            Score = result.Score,
            PassMark = result.PassMark,
            Passed = result.Passed,
            Answers = JsonSerializer.Serialize(picked.ToDictionary(p => p.Key, p => p.Value.Order().ToArray())),
            SubmittedAt = now,
        });
        await StudyModule.TouchAsync(db, org, moduleId, now, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique attempt number: the same answers were sent twice at once (a double click), and one counted.
            db.ChangeTracker.Clear();
            return Outcome.Refused("This attempt was already submitted; see your result on the module's page.");
        }

        return new Outcome<AssessmentResult>(Outcome.Success, result);
    }

    private static string Join(IReadOnlyList<int> numbers) => numbers.Count == 1
        ? numbers[0].ToString(System.Globalization.CultureInfo.InvariantCulture)
        : string.Join(", ", numbers.SkipLast(1)) + " and " + numbers[^1];

    /// <summary>Reads form values of the shape <c>{questionId}:{choiceIndex}</c>, one per ticked box or radio.</summary>
    public static IReadOnlyDictionary<Guid, IReadOnlySet<int>> ParsePicks(IEnumerable<string>? values)
    {
        var picks = new Dictionary<Guid, HashSet<int>>();
        foreach (var value in values ?? [])
        {
            var parts = value.Split(':');
            if (parts.Length == 2 && Guid.TryParse(parts[0], out var question) && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var choice))
            {
                if (!picks.TryGetValue(question, out var set))
                {
                    picks[question] = set = [];
                }

                set.Add(choice);
            }
        }

        return picks.ToDictionary(p => p.Key, p => (IReadOnlySet<int>)p.Value);
    }
}
