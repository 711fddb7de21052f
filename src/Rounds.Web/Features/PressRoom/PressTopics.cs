using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// The topics a journalist follows in one organization's press room. Kept apart from the accreditation, which is
/// renewed as a new request: what a journalist follows outlives any one accreditation.
/// </summary>
public sealed class PressTopicFollow : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>Normalized topics, one a line; empty means every release.</summary>
    public string Topics { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class PressTopicFollowConfiguration : IEntityTypeConfiguration<PressTopicFollow>
{
    public void Configure(EntityTypeBuilder<PressTopicFollow> builder)
    {
        builder.ToTable("PressTopicFollows");
        builder.Property(f => f.Topics).HasMaxLength(PressTopics.StoredLimit);
        builder.HasIndex(f => new { f.OrganizationId, f.UserId }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(f => f.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record TopicsInput(string? Topics);

/// <summary>
/// Topics of releases and what journalists follow: short lower-case words such as <c>cardiology</c> or
/// <c>research funding</c>, written with commas between them. A release without a topic goes to every accredited
/// journalist at its lift, and so does every release to a journalist who follows no topic
/// (docs/decisions/0024-embargo-lift-times.md).
/// </summary>
public sealed partial class PressTopics(RoundsDbContext db, Newsroom newsroom, IAuditLog audit, TimeProvider clock)
{
    public const int MaxTopics = 10;

    public const int TopicLimit = 40;

    public const int StoredLimit = MaxTopics * (TopicLimit + 1);

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} \-]*$")]
    private static partial Regex TopicShape();

    /// <summary>The topics in <paramref name="text"/>, normalized, or the reason they cannot be taken.</summary>
    public static (IReadOnlyList<string> Topics, string? Problem) Parse(string? text)
    {
        var topics = (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => Regex.Replace(t, @"\s+", " ").ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (topics.Count > MaxTopics)
        {
            return ([], $"Give at most {MaxTopics} topics.");
        }

        var wrong = topics.FirstOrDefault(t => t.Length > TopicLimit || !TopicShape().IsMatch(t));
        return wrong is null
            ? (topics, null)
            : ([], $"'{wrong.Truncate(60)}' is not a topic: use letters, digits, spaces and hyphens, up to {TopicLimit} characters, with commas between topics.");
    }

    public static IReadOnlyList<string> Split(string stored) => stored.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static string Store(IEnumerable<string> topics) => string.Join('\n', topics);

    /// <summary>Whether a journalist following <paramref name="followed"/> hears of a release about <paramref name="releaseTopics"/>.</summary>
    public static bool Reaches(IReadOnlyList<string> releaseTopics, IReadOnlyList<string> followed) =>
        releaseTopics.Count == 0 || followed.Count == 0 || releaseTopics.Intersect(followed, StringComparer.Ordinal).Any();

    /// <summary>What the signed-in person follows in the organization's press room; empty when nothing.</summary>
    public async Task<IReadOnlyList<string>?> FollowedAsync(string userId, string organizationSlug, CancellationToken cancellationToken = default)
    {
        var organization = await newsroom.OrganizationAsync(organizationSlug, cancellationToken);
        if (organization is null)
        {
            return null;
        }

        var stored = await db.Set<PressTopicFollow>().Where(f => f.OrganizationId == organization.Id && f.UserId == userId).Select(f => f.Topics).FirstOrDefaultAsync(cancellationToken);
        return Split(stored ?? "");
    }

    /// <summary>
    /// Topics of the organization's public releases, for journalists choosing what to follow. Topics of releases
    /// still under embargo are not offered: a new topic can itself be the news.
    /// </summary>
    public async Task<IReadOnlyList<string>> PublicTopicsAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        (await newsroom.PublicAsync(organizationId, 200, cancellationToken)).SelectMany(r => Split(r.Topics)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Sets what a signed-in person follows; anyone may, though only accredited journalists are mailed.</summary>
    public async Task<Outcome<IReadOnlyList<string>>> FollowAsync(string userId, string organizationSlug, TopicsInput input, CancellationToken cancellationToken = default)
    {
        var organization = await newsroom.OrganizationAsync(organizationSlug, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound;
        }

        var (topics, problem) = Parse(input.Topics);
        if (problem is not null)
        {
            return Outcome.Invalid("Topics", problem);
        }

        var follow = await db.Set<PressTopicFollow>().FirstOrDefaultAsync(f => f.OrganizationId == organization.Id && f.UserId == userId, cancellationToken);
        if (follow is null)
        {
            follow = new PressTopicFollow { OrganizationId = organization.Id, UserId = userId };
            db.Add(follow);
        }

        follow.Topics = Store(topics);
        follow.UpdatedAt = clock.GetUtcNow();
        audit.Record(organization.Id, "press_topics.followed", nameof(PressTopicFollow), follow.Id.ToString(), after: new { topics });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<IReadOnlyList<string>>(Outcome.Success, topics);
    }
}
