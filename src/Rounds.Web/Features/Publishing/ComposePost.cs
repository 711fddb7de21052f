using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Screening;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing;

/// <summary>What the composer sends: the text, the accounts, their own wordings where they differ, and the time.</summary>
public sealed record PostInput(string? Text, IReadOnlyList<Guid>? Accounts, IReadOnlyDictionary<Guid, string>? Variants, DateTimeOffset? ScheduledAt);

/// <summary>
/// Creates and edits posts. Every save measures each account's copy against its network and screens it as
/// that account; an edit after submission starts a new revision, so approvals given to the old text lapse.
/// </summary>
public sealed class ComposePost(RoundsDbContext db, PostRules rules, RevisionHistory history, IAuditLog audit, TimeProvider clock)
{
    public const int MaxAccounts = 20;

    public async Task<Outcome<(Post Post, IReadOnlyList<CopyCheck> Copies)>> CreateAsync(OrgContext org, PostInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Contributor))
        {
            return Outcome.Refused("Only contributors and above can draft posts.");
        }

        var checkedInput = await CheckAsync(org, input, cancellationToken);
        if (!checkedInput.Succeeded)
        {
            return checkedInput.Status;
        }

        var (accounts, copies) = checkedInput.Value;
        var now = clock.GetUtcNow();
        var name = await PeopleNames.OfAsync(db, org.UserId, cancellationToken);
        var post = new Post
        {
            OrganizationId = org.Id,
            AuthorId = org.UserId,
            AuthorName = name,
            Text = input.Text!.Trim(),
            ScheduledAt = input.ScheduledAt?.ToUniversalTime(),
            Status = PostStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            Verdict = PostRules.Worst(copies.Select(c => c.Screening.Verdict)),
        };
        db.Add(post);
        foreach (var account in accounts)
        {
            db.Add(new PostTarget
            {
                OrganizationId = org.Id,
                PostId = post.Id,
                AccountId = account.Id,
                Text = Variant(input, account.Id),
                Verdict = copies.Single(c => c.AccountId == account.Id).Screening.Verdict,
                IdempotencyKey = DeliveryKeys.NewFor(account.Platform),
            });
        }

        await history.AddAsync(post, Variants(input), org.UserId, name, copies, cancellationToken);
        audit.Record(org.Id, "post.created", "Post", post.Id.ToString(), after: Snapshot(post, accounts, await QuotedTextAsync(post, cancellationToken)));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<(Post, IReadOnlyList<CopyCheck>)>(Outcome.Success, (post, copies));
    }

    /// <summary>
    /// Changes the text, accounts or time. The author edits their own post, reviewers any post. A changed text in
    /// review or after approval goes back to the first review step as a new revision; a new time alone keeps the approvals.
    /// </summary>
    /// <param name="editedRevision">
    /// The revision the editor started from. When someone else saved a new one meanwhile the edit is refused,
    /// so that neither change silently overwrites the other.
    /// </param>
    public async Task<Outcome<(Post Post, IReadOnlyList<CopyCheck> Copies)>> EditAsync(OrgContext org, Guid id, PostInput input, int editedRevision, CancellationToken cancellationToken = default)
    {
        var post = await db.Set<Post>().FirstOrDefaultAsync(p => p.Id == id && p.OrganizationId == org.Id, cancellationToken);
        if (post is null || !PostQueries.CanSee(org, post))
        {
            return Outcome.NotFound;
        }

        if (post.AuthorId != org.UserId && !org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Refused("Only the author or a reviewer can edit this post.");
        }

        if (!PostLifecycle.IsEditable(post.Status))
        {
            return Outcome.Refused($"A {PostLifecycle.Describe(post.Status)} post cannot be edited.");
        }

        if (editedRevision != post.Revision)
        {
            return Outcome.Refused(StaleRevision(editedRevision, post.Revision));
        }

        var checkedInput = await CheckAsync(org, input, cancellationToken);
        if (!checkedInput.Succeeded)
        {
            return checkedInput.Status;
        }

        var (accounts, copies) = checkedInput.Value;
        var targets = await db.Set<PostTarget>().Where(t => t.PostId == post.Id).ToListAsync(cancellationToken);
        if (targets.Any(t => t.Status is DeliveryStatus.Sending or DeliveryStatus.Published or DeliveryStatus.WithOwner))
        {
            // The network already has (or is receiving) the approved words; changing them here would no longer match.
            return Outcome.Refused("Part of this post is already going out or published, so it can no longer be edited.");
        }

        var before = Snapshot(post, targets.Select(t => t.AccountId), await QuotedTextAsync(post, cancellationToken));
        var newText = input.Text!.Trim();
        var textChanged = newText != post.Text
            || targets.Count != accounts.Count
            || accounts.Any(a => targets.FirstOrDefault(t => t.AccountId == a.Id) is not { } t || t.Text != Variant(input, a.Id));

        post.Text = newText;
        post.ScheduledAt = input.ScheduledAt?.ToUniversalTime();
        post.Verdict = PostRules.Worst(copies.Select(c => c.Screening.Verdict));
        post.UpdatedAt = clock.GetUtcNow();
        post.ConcurrencyStamp = Guid.NewGuid();
        db.RemoveRange(targets.Where(t => !accounts.Any(a => a.Id == t.AccountId)));
        foreach (var account in accounts)
        {
            var target = targets.FirstOrDefault(t => t.AccountId == account.Id);
            if (target is null)
            {
                target = new PostTarget { OrganizationId = org.Id, PostId = post.Id, AccountId = account.Id, IdempotencyKey = DeliveryKeys.NewFor(account.Platform) };
                db.Add(target);
            }

            target.Text = Variant(input, account.Id);
            target.Verdict = copies.Single(c => c.AccountId == account.Id).Screening.Verdict;
        }

        if (textChanged)
        {
            post.StartRevision(post.UpdatedAt);
            // A reviewer's override was a judgement on the old words; the new words are judged afresh.
            post.OverrideReason = "";
            post.OverriddenBy = null;
            await history.AddAsync(post, Variants(input), org.UserId, await PeopleNames.OfAsync(db, org.UserId, cancellationToken), copies, cancellationToken);
        }

        audit.Record(org.Id, textChanged ? "post.edited" : "post.rescheduled", "Post", post.Id.ToString(), before, Snapshot(post, accounts, await QuotedTextAsync(post, cancellationToken)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Refused(await WhyNotSavedAsync(db, post.Id, cancellationToken));
        }

        return new Outcome<(Post, IReadOnlyList<CopyCheck>)>(Outcome.Success, (post, copies));
    }

    public static string StaleRevision(int edited, int current) =>
        $"Someone changed this post while you were editing it (you edited revision {edited}; it is now at revision {current}). Your changes were not saved: open the post to see what changed, then edit it again.";

    /// <summary>
    /// Says why a save that lost a race on the post's stamp was refused. The publisher takes the stamp when it
    /// claims a copy, so a copy now sending or out means the approved words are on their way and the change came too late.
    /// </summary>
    internal static async Task<string> WhyNotSavedAsync(RoundsDbContext db, Guid postId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var started = await db.Set<PostTarget>().AnyAsync(t => t.PostId == postId && (t.Status == DeliveryStatus.Sending || t.Status == DeliveryStatus.Published || t.Status == DeliveryStatus.WithOwner), cancellationToken);
        return started
            ? "This post is being published right now, or has just gone out, so your change was not saved. Reload it to see whether it went out; if it did not, try again."
            : "Someone else changed this post at the same time; reload it and try again.";
    }

    /// <summary>
    /// The composer's live check: each chosen account's copy measured and screened, even while the draft is
    /// incomplete or too long, so the writer sees where they stand as they type. Nothing is written.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<CopyCheck>>> PreviewAsync(OrgContext org, PostInput input, CancellationToken cancellationToken = default)
    {
        var ids = (input.Accounts ?? []).Distinct().Take(MaxAccounts).ToList();
        var accounts = await db.AccountCards().Where(a => a.OrganizationId == org.Id && ids.Contains(a.Id)).ToListAsync(cancellationToken);
        if (accounts.Count != ids.Count)
        {
            return Outcome.Invalid("accounts", "One of the chosen accounts is not in this organization's registry.");
        }

        var copies = new List<CopyCheck>();
        foreach (var account in accounts.Where(PostRules.CanReceivePosts).OrderBy(a => ids.IndexOf(a.Id)))
        {
            copies.Add(await rules.CheckAsync(org.Id, account, Variant(input, account.Id) ?? input.Text?.Trim() ?? "", cancellationToken));
        }

        return new Outcome<IReadOnlyList<CopyCheck>>(Outcome.Success, copies);
    }

    /// <summary>
    /// Each chosen account's copy as its network will show it, with the images of the post being edited. Nothing
    /// is screened or written: the live check screens, this only lays the copies out.
    /// </summary>
    public async Task<Outcome<(IReadOnlyList<PreviewCopy> Copies, IReadOnlyList<Rounds.Networks.Preview.PreviewImage> Images)>> LayOutAsync(OrgContext org, PostInput input, Guid? postId, CancellationToken cancellationToken = default)
    {
        var ids = (input.Accounts ?? []).Distinct().Take(MaxAccounts).ToList();
        var accounts = await db.AccountCards().Where(a => a.OrganizationId == org.Id && ids.Contains(a.Id)).ToListAsync(cancellationToken);
        if (accounts.Count != ids.Count)
        {
            return Outcome.Invalid("accounts", "One of the chosen accounts is not in this organization's registry.");
        }

        var copies = accounts.Where(PostRules.CanReceivePosts).OrderBy(a => ids.IndexOf(a.Id))
            .Select(a => new PreviewCopy(a.Id, a.Handle, PostRules.LimitsFor(a.Platform)!.Network, Variant(input, a.Id) ?? input.Text?.Trim() ?? ""))
            .ToList();
        var media = postId is { } id
            ? await db.Set<MediaItem>().Where(m => m.PostId == id && m.OrganizationId == org.Id).OrderBy(m => m.UploadedAt).AsNoTracking().ToListAsync(cancellationToken)
            : [];
        return new Outcome<(IReadOnlyList<PreviewCopy>, IReadOnlyList<Rounds.Networks.Preview.PreviewImage>)>(Outcome.Success, (copies, PreviewCopy.Images(org.Organization.Slug, media)));
    }

    /// <summary>Validates the input and checks every copy; nothing is written.</summary>
    public async Task<Outcome<(IReadOnlyList<AccountCard> Accounts, IReadOnlyList<CopyCheck> Copies)>> CheckAsync(OrgContext org, PostInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Text))
        {
            errors["text"] = ["Write the text of the post."];
        }

        var ids = (input.Accounts ?? []).Distinct().ToList();
        if (ids.Count == 0)
        {
            errors["accounts"] = ["Choose at least one account to post to."];
        }
        else if (ids.Count > MaxAccounts)
        {
            errors["accounts"] = [$"A post can go to at most {MaxAccounts} accounts."];
        }

        if (input.ScheduledAt is { } at && at <= clock.GetUtcNow())
        {
            errors["scheduledAt"] = ["Choose a time in the future, or leave it empty to publish as soon as the post is approved."];
        }
        else if (input.ScheduledAt is { } late && late > clock.GetUtcNow() + PostRules.ScheduleHorizon)
        {
            errors["scheduledAt"] = ["Choose a time within the next two years."];
        }

        var accounts = await db.AccountCards().Where(a => a.OrganizationId == org.Id && ids.Contains(a.Id)).ToListAsync(cancellationToken);
        if (accounts.Count != ids.Count)
        {
            errors["accounts"] = ["One of the chosen accounts is not in this organization's registry."];
        }
        else if (accounts.FirstOrDefault(a => !PostRules.CanReceivePosts(a)) is { } closed)
        {
            errors["accounts"] = [$"{closed.Handle} cannot receive posts: it is {AccountNames.Label(closed.Status).ToLowerInvariant()}, and only running accounts post."];
        }

        foreach (var key in (input.Variants ?? new Dictionary<Guid, string>()).Keys.Where(k => !ids.Contains(k)))
        {
            errors[$"variants.{key}"] = ["A variant is for an account the post does not go to."];
        }

        if (errors.Count > 0)
        {
            return new Outcome(OutcomeKind.Invalid, errors, errors.Values.First()[0]);
        }

        var copies = new List<CopyCheck>();
        foreach (var account in accounts.OrderBy(a => ids.IndexOf(a.Id)))
        {
            var copy = await rules.CheckAsync(org.Id, account, Variant(input, account.Id) ?? input.Text!.Trim(), cancellationToken);
            if (!copy.Fits)
            {
                errors[$"variants.{account.Id}"] = [$"The copy for {account.Handle} is {copy.Length} characters; {copy.Network} allows {copy.MaxLength}. Shorten it or write a variant for this account."];
            }

            copies.Add(copy);
        }

        return errors.Count > 0
            ? new Outcome(OutcomeKind.Invalid, errors, errors.Values.First()[0])
            : new Outcome<(IReadOnlyList<AccountCard>, IReadOnlyList<CopyCheck>)>(Outcome.Success, (accounts.OrderBy(a => ids.IndexOf(a.Id)).ToList(), copies));
    }

    private static string? Variant(PostInput input, Guid accountId) =>
        input.Variants is not null && input.Variants.TryGetValue(accountId, out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static Dictionary<Guid, string> Variants(PostInput input) =>
        (input.Variants ?? new Dictionary<Guid, string>())
            .Where(v => !string.IsNullOrWhiteSpace(v.Value) && (input.Accounts ?? []).Contains(v.Key))
            .ToDictionary(v => v.Key, v => v.Value.Trim());

    /// <summary>The audit log is never rewritten, so the text it keeps has patient data masked from the start.</summary>
    private Task<string> QuotedTextAsync(Post post, CancellationToken cancellationToken) => history.QuoteAsync(post.OrganizationId, post.Id, post.Text, cancellationToken);

    private static object Snapshot(Post post, IEnumerable<AccountCard> accounts, string text) => Snapshot(post, accounts.Select(a => a.Id), text);

    private static object Snapshot(Post post, IEnumerable<Guid> accounts, string text) =>
        new { Text = text, post.ScheduledAt, Status = PostLifecycle.Describe(post.Status), post.Revision, Verdict = ScreeningNames.Of(post.Verdict), Accounts = accounts.ToList() };
}

/// <summary>The texts of one revision: the post's text under the empty key, each variant under its account id.</summary>
public static class RevisionTexts
{
    public static Dictionary<string, string> Of(string text, IReadOnlyDictionary<Guid, string> variants)
    {
        var texts = new Dictionary<string, string> { [""] = text };
        foreach (var (account, variant) in variants)
        {
            texts[account.ToString()] = variant;
        }

        return texts;
    }

    public static Dictionary<string, string> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
