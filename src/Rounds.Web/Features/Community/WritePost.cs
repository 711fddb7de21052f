using Microsoft.EntityFrameworkCore;
using Rounds.Screening;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <param name="Tags">Up to five; see <see cref="TopicTags"/>.</param>
public sealed record TopicInput(string? Title, string? Body, IReadOnlyList<string?>? Tags = null);

public sealed record ReplyInput(string? Body, int? ReplyTo);

/// <summary>
/// Starting a topic and replying. Every post is screened (the social profile, its author as a personal account)
/// before anyone but its author can see it: a blocked post is held for the moderators with its findings shown to
/// the author, gets no number and tells nobody. A post that passes gets the topic's next number and is queued for
/// the background fan-out, so the request's cost does not grow with the number of people watching.
/// </summary>
public sealed class WritePost(RoundsDbContext db, BoardAudience audience, IOrganizationScreener screener, BoardMembers members, FanOut fanOut, WatchedWords watchedWords, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<CommunityPost>> StartTopicAsync(OrgContext org, Guid categoryId, TopicInput input, CancellationToken cancellationToken = default)
    {
        var category = await db.Set<CommunityCategory>().FirstOrDefaultAsync(c => c.Id == categoryId && c.OrganizationId == org.Id, cancellationToken);
        var reader = category is null ? null : await audience.ReaderAsync(org, [category], cancellationToken);
        if (category is null || !BoardAudience.MayRead(reader!, category))
        {
            return Outcome.NotFound;
        }

        if (!BoardAudience.MayPost(reader!, category))
        {
            return Outcome.Forbidden(BoardAudience.PostRefusal(reader!, category, "start topics"));
        }

        var title = input.Title?.Trim() ?? "";
        var problem = BoardText.Check("Title", title, BoardLimits.Title) ?? BoardText.CheckBody(input.Body);
        if (problem is not null)
        {
            return problem;
        }

        if (title.Length < 3 || title.Contains('\n', StringComparison.Ordinal))
        {
            return Outcome.Invalid("Title", "Give the topic a title of at least three characters, on one line.");
        }

        var tagged = TopicTags.Normalize("Tags", input.Tags, TopicTags.PerTopic);
        if (!tagged.Succeeded)
        {
            return tagged.Status;
        }

        var tags = tagged.Value!;
        if (TopicTags.CheckAllowed(category, tags) is { } refusedTags)
        {
            return refusedTags;
        }

        var me = await members.MeAsync(org, cancellationToken);
        var now = clock.GetUtcNow();
        if (Silenced(me, now) is { } silenced)
        {
            return silenced;
        }

        // The moderators' watched words come first, so the screening reads the text that would go out.
        var words = await watchedWords.ForAsync(org.Id, cancellationToken);
        var titleWatch = WatchedWords.Apply(words, title);
        var bodyWatch = WatchedWords.Apply(words, input.Body!.Trim());
        // Tags show beside the title on every list, so a watched word in one holds or flags the topic as the title would.
        var tagWatch = WatchedWords.Apply(words, string.Join(' ', tags.Select(t => t.Replace('-', ' '))));
        var watched = new WatchedMatch(bodyWatch.Text, [.. titleWatch.Blocking.Union(bodyWatch.Blocking).Union(tagWatch.Blocking)],
            [.. titleWatch.Flagging.Union(bodyWatch.Flagging).Union(tagWatch.Flagging)]);
        title = titleWatch.Text;
        problem = BoardText.Check("Title", title, BoardLimits.Title) ?? BoardText.Check("Body", watched.Text, BoardLimits.Body);
        if (problem is not null)
        {
            return problem;
        }

        var firstTopic = !await db.Set<CommunityTopic>().AnyAsync(t => t.OrganizationId == org.Id && t.AuthorId == org.UserId, cancellationToken);
        var topic = new CommunityTopic
        {
            OrganizationId = org.Id, CategoryId = category.Id, Title = title, AuthorId = org.UserId, CreatedAt = now, LastPostedAt = now, FirstFromMember = firstTopic,
        };
        var post = new CommunityPost { OrganizationId = org.Id, TopicId = topic.Id, AuthorId = org.UserId, Body = watched.Text, CreatedAt = now };
        // Tags travel with the title in lists, so they are screened with it.
        var tagWords = tags.Count == 0 ? "" : "\n\n" + string.Join(' ', tags.Select(t => t.Replace('-', ' ')));
        await ScreenAsync(org, post, $"{title}{tagWords}\n\n{post.Body}", watched, cancellationToken);
        db.Add(topic);
        db.Add(post);
        db.AddRange(tags.Select(t => new CommunityTopicTag { OrganizationId = org.Id, TopicId = topic.Id, Tag = t }));
        // The author follows what becomes of their question.
        db.Add(new CommunityWatch { OrganizationId = org.Id, UserId = org.UserId, TopicId = topic.Id, Level = WatchLevel.Watching });
        if (post.State == PostState.Visible)
        {
            topic.Visible = true;
            Number(topic, post, now);
            fanOut.Enqueue(org.Id, post, now);
            await FlagWatchedAsync(org, post, watched, now, cancellationToken);
        }

        audit.Record(org.Id, post.State == PostState.Held ? "community_post.held" : "community_topic.created", nameof(CommunityTopic), topic.Id.ToString(), after: new { topic.Title, Category = category.Name, State = post.State.ToString(), Tags = tags });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityPost>(Outcome.Success, post);
    }

    public async Task<Outcome<CommunityPost>> ReplyAsync(OrgContext org, Guid topicId, ReplyInput input, CancellationToken cancellationToken = default)
    {
        var problem = BoardText.CheckBody(input.Body);
        if (problem is not null)
        {
            return problem;
        }

        var me = await members.MeAsync(org, cancellationToken);
        if (Silenced(me, clock.GetUtcNow()) is { } silenced)
        {
            return silenced;
        }

        // Two replies racing for the same number: the unique index refuses one, which takes the next number.
        for (var attempt = 1; ; attempt++)
        {
            var found = await audience.TopicAsync(org, topicId, cancellationToken);
            if (found is null)
            {
                return Outcome.NotFound;
            }

            var (topic, category) = found.Value;
            var reader = await audience.ReaderAsync(org, [category], cancellationToken);
            if (!BoardAudience.MayPost(reader, category))
            {
                return Outcome.Forbidden(BoardAudience.PostRefusal(reader, category, "post"));
            }

            if (!topic.Visible)
            {
                return Outcome.Refused("The topic waits for a moderator; replies open once its first post is released.");
            }

            if (topic.Closed && !BoardAccess.IsModerator(org))
            {
                return Outcome.Refused("The topic is closed; it takes no new replies.");
            }

            if (input.ReplyTo is { } replyTo && !await db.Set<CommunityPost>().AnyAsync(p => p.TopicId == topic.Id && p.Number == replyTo && p.State == PostState.Visible, cancellationToken))
            {
                return Outcome.Invalid("ReplyTo", $"There is no post #{replyTo} in this topic to reply to.");
            }

            var now = clock.GetUtcNow();
            var watched = await watchedWords.ApplyAsync(org.Id, input.Body!.Trim(), cancellationToken);
            if (BoardText.Check("Body", watched.Text, BoardLimits.Body) is { } tooLong)
            {
                return tooLong;
            }

            var post = new CommunityPost { OrganizationId = org.Id, TopicId = topic.Id, AuthorId = org.UserId, Body = watched.Text, ReplyToNumber = input.ReplyTo, CreatedAt = now };
            await ScreenAsync(org, post, post.Body, watched, cancellationToken);
            db.Add(post);
            // Taking part makes a topic tracked, unless the person already chose more (watching) or less (muted).
            var mine = await db.Set<CommunityWatch>().Where(w => w.UserId == org.UserId && (w.TopicId == topic.Id || w.CategoryId == category.Id)).ToListAsync(cancellationToken);
            if (FanOut.Effective(mine).GetValueOrDefault(org.UserId, WatchLevel.Normal) is WatchLevel.Normal or WatchLevel.WatchingFirstPost)
            {
                db.Add(new CommunityWatch { OrganizationId = org.Id, UserId = org.UserId, TopicId = topic.Id, Level = WatchLevel.Tracking });
            }

            if (post.State == PostState.Visible)
            {
                Number(topic, post, now);
                fanOut.Enqueue(org.Id, post, now);
                await FlagWatchedAsync(org, post, watched, now, cancellationToken);
            }
            else
            {
                audit.Record(org.Id, "community_post.held", nameof(CommunityPost), post.Id.ToString(), after: new { Topic = topic.Title, post.Findings });
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new Outcome<CommunityPost>(Outcome.Success, post);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static Outcome? Silenced(CommunityMember me, DateTimeOffset now) => me.SilencedUntil > now
        ? Outcome.Refused($"The moderators have silenced you on this board until {me.SilencedUntil.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC; you can still read.")
        : null;

    /// <summary>The next number of the topic, given only to a visible post.</summary>
    internal static void Number(CommunityTopic topic, CommunityPost post, DateTimeOffset now)
    {
        topic.LastNumber++;
        post.Number = topic.LastNumber;
        post.ReleasedAt = now;
        topic.LastPostedAt = now;
    }

    /// <summary>A blocking watched word holds the post exactly as a screening block does.</summary>
    private async Task ScreenAsync(OrgContext org, CommunityPost post, string text, WatchedMatch watched, CancellationToken cancellationToken)
    {
        var result = await screener.ScreenAsync(org.Id, new Rounds.Screening.Post(text, AccountKind.Personal), Profile.Social, cancellationToken);
        post.Screening = result.Verdict;
        post.State = result.Verdict == Verdict.Block || watched.Blocking.Count > 0 ? PostState.Held : PostState.Visible;
        post.Findings = WatchedWords.Findings(watched, BoardText.Describe(result));
    }

    /// <summary>A post with a flagging word waits in the review queue, flagged in the name of the moderator who chose the word.</summary>
    internal async Task FlagWatchedAsync(OrgContext org, CommunityPost post, WatchedMatch watched, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (watched.Flagging.Count > 0)
        {
            db.Add(new CommunityFlag
            {
                OrganizationId = org.Id, PostId = post.Id, UserId = await FlaggerAsync(db, org, watched, cancellationToken), Reason = FlagReason.SomethingElse, CreatedAt = now,
                Note = "Watched words: " + string.Join(", ", watched.Flagging.Select(w => $"“{w.Phrase}”")),
            });
        }
    }

    /// <summary>
    /// Whose name a watched-word flag goes under: the first moderator who chose one of the words and can still sign
    /// in. A word outlives the person who chose it, and a flag must name a person, so when none is left the author's
    /// own name carries it to the review queue rather than the post failing.
    /// </summary>
    internal static async Task<string> FlaggerAsync(RoundsDbContext db, OrgContext org, WatchedMatch watched, CancellationToken cancellationToken)
    {
        var choosers = watched.Flagging.Select(w => w.CreatedBy).Distinct().ToList();
        var present = await db.People().Where(p => choosers.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);
        return choosers.FirstOrDefault(present.Contains) ?? org.UserId;
    }
}

/// <summary>The checks every text of the board goes through, and how findings read to the people who see them.</summary>
public static class BoardText
{
    public static Outcome? Check(string field, string text, int limit) =>
        TextRules.FirstRefused(text) is { } c ? Outcome.Invalid(field, TextRules.ControlMessage(c))
        : text.Length > limit ? Outcome.Invalid(field, $"Keep the {field.ToLowerInvariant()} within {limit} characters.")
        : null;

    public static Outcome? CheckBody(string? body)
    {
        var text = body?.Trim() ?? "";
        return Check("Body", text, BoardLimits.Body) ?? (text.Length == 0 ? Outcome.Invalid("Body", "Write something to post.") : null);
    }

    /// <summary>Findings above advice, one per line, as the author reads them to fix the post.</summary>
    public static string Describe(ScreeningResult result)
    {
        var lines = result.Findings.Where(f => f.Severity != Severity.Low).Select(f => f.Message + (f.Suggestion.Length > 0 ? " " + f.Suggestion : "")).Distinct(StringComparer.Ordinal);
        var text = string.Join("\n", lines);
        return text.Length <= 4000 ? text : text[..4000];
    }
}

/// <summary>Who moderates the board; who reads and posts in a category is <see cref="BoardAudience"/>'s to say.</summary>
public static class BoardAccess
{
    /// <summary>Reviewers and admins moderate: they release held posts, decide flags, pin, close and hide.</summary>
    public static bool IsModerator(OrgContext org) => org.IsAtLeast(Role.Reviewer);
}
