using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>The publisher's cycle against the fake network, with the clock moved by hand.</summary>
public abstract class PublisherTests(DeliveryRounds app)
{
    [Fact]
    public async Task An_approved_post_goes_out_once_at_its_time_and_counts_as_the_accounts_activity()
    {
        var room = await app.NewsroomAsync("out");
        var network = await room.ConnectFakeAsync();
        var now = app.Clock.GetUtcNow();
        var later = await room.PostAsync("Flu clinic on Saturday, 9 to 1.", now.AddMinutes(10));

        Assert.Equal(0, (await app.PublishAsync()).Published);
        Assert.Equal(0, network.PublishCalls);

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, (await app.PublishAsync()).Published);
        Assert.Equal(0, (await app.PublishAsync()).Published);

        Assert.Equal(1, network.PublishCalls);
        var copy = Assert.Single(await room.CopiesAsync(later));
        Assert.Equal(DeliveryStatus.Published, copy.Status);
        Assert.Equal("Flu clinic on Saturday, 9 to 1.", network.Posts[copy.IdempotencyKey]);
        Assert.Equal(network.Published(copy.IdempotencyKey), new PublishedPost(copy.ExternalId!, copy.ExternalUrl!));
        Assert.Equal(app.Clock.GetUtcNow(), copy.PublishedAt);
        Assert.Null(copy.ClaimedBy);
        Assert.Equal([AttemptOutcome.Published], (await room.AttemptsAsync(copy.Id)).Select(a => a.Outcome));
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(later)).Status);
        Assert.Contains(await room.NotificationsAsync(room.Author), n => n.StartsWith($"post-published:{later}", StringComparison.Ordinal));

        // Trials and dormancy count what Rounds publishes.
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var activity = await db.Set<AccountPost>().SingleAsync(p => p.AccountId == room.AccountId);
            Assert.Equal(copy.ExternalUrl, activity.ExternalId);
            Assert.Equal(copy.PublishedAt, (await db.Set<SocialAccount>().SingleAsync(a => a.Id == room.AccountId)).LastPostAt);
        });
    }

    [Fact]
    public async Task After_downtime_a_post_within_the_grace_window_goes_out_and_a_later_one_is_missed()
    {
        var room = await app.NewsroomAsync("grace");
        var network = await room.ConnectFakeAsync();
        var now = app.Clock.GetUtcNow();
        var tenMinutesLate = await room.PostAsync("Blood drive today in the atrium.", now.AddMinutes(-10));
        var threeHoursLate = await room.PostAsync("Blood drive starts in an hour.", now.AddHours(-3));

        var run = await app.PublishAsync();

        Assert.Equal((1, 1), (run.Published, run.Missed));
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(tenMinutesLate)).Status);
        Assert.Equal(PostStatus.Missed, (await room.ReadPostAsync(threeHoursLate)).Status);
        var missed = Assert.Single(await room.CopiesAsync(threeHoursLate));
        Assert.Equal(DeliveryStatus.Missed, missed.Status);
        Assert.False(network.Posts.ContainsKey(missed.IdempotencyKey));
        Assert.Contains(await room.NotificationsAsync(room.Author), n => n.StartsWith($"post-missed:{threeHoursLate}", StringComparison.Ordinal) && n.Contains("Reschedule", StringComparison.Ordinal));

        // A wider window, set by an admin, lets the same lateness through.
        var client = await app.ApiClientAsync(room.Admin);
        (await client.PutAsJsonAsync($"/api/v1/orgs/{room.Org.Slug}/publishing/settings", new { graceMinutes = 240 })).EnsureSuccessStatusCode();
        var withinWiderWindow = await room.PostAsync("Blood drive: last chance.", now.AddHours(-3));
        Assert.Equal(1, (await app.PublishAsync()).Published);
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(withinWiderWindow)).Status);
    }

    [Fact]
    public async Task A_post_still_in_review_at_its_time_expires_and_its_author_is_told()
    {
        var room = await app.NewsroomAsync("expire");
        var network = await room.ConnectFakeAsync();
        var postId = await room.PostAsync("Our new cardiac wing opens.", app.Clock.GetUtcNow().AddMinutes(5), PostStatus.InReview);

        Assert.Equal(0, (await app.PublishAsync()).Expired);
        Assert.Equal(PostStatus.InReview, (await room.ReadPostAsync(postId)).Status);

        app.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, (await app.PublishAsync()).Expired);
        Assert.Equal(0, (await app.PublishAsync()).Expired);

        Assert.Equal(PostStatus.Expired, (await room.ReadPostAsync(postId)).Status);
        Assert.All(await room.CopiesAsync(postId), c => Assert.Equal(DeliveryStatus.Expired, c.Status));
        Assert.Equal(0, network.PublishCalls);
        Assert.Single(await room.NotificationsAsync(room.Author), n => n.StartsWith($"post-expired:{postId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approval_withdrawn_while_copies_go_out_stops_the_copies_not_yet_sent()
    {
        var room = await app.NewsroomAsync("withdraw");
        var second = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@withdraw" + Guid.NewGuid().ToString("N")[..6] + ".bsky.social");
        var networks = new[] { await room.ConnectFakeAsync(), await room.ConnectFakeAsync(second) };
        var postId = await room.PostAsync("Parking garage closed Monday.", app.Clock.GetUtcNow(), PostStatus.Approved, room.AccountId, second);
        foreach (var network in networks)
        {
            // The author edits the post while the first copy is on its way: the edit sends it back to review.
            network.BeforePublish = _ => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Post>()
                .Where(p => p.Id == postId).ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PostStatus.InReview)));
        }

        var run = await app.PublishAsync();

        Assert.Equal((1, 1), (run.Published, run.Released));
        Assert.Equal(1, networks.Sum(n => n.PublishCalls));
        var copies = await room.CopiesAsync(postId);
        Assert.Single(copies, c => c.Status == DeliveryStatus.Published);
        var held = Assert.Single(copies, c => c.Status == DeliveryStatus.Waiting);
        Assert.Null(held.ClaimedBy);
        Assert.Empty(await room.AttemptsAsync(held.Id));
        Assert.Equal(0, (await app.PublishAsync()).Published);
    }

    [Fact]
    public async Task Refused_credentials_flag_the_account_for_reconnecting_and_its_people_are_told_once()
    {
        var room = await app.NewsroomAsync("auth");
        var network = await room.ConnectFakeAsync();
        network.Secret = "changed-on-the-network";
        var first = await room.PostAsync("Visiting hours change Monday.", app.Clock.GetUtcNow());
        var second = await room.PostAsync("Visiting hours: the details.", app.Clock.GetUtcNow());

        var run = await app.PublishAsync();

        Assert.Equal(2, run.Failed);
        var copies = (await room.CopiesAsync(first)).Concat(await room.CopiesAsync(second)).ToList();
        Assert.All(copies, c => Assert.Equal(DeliveryStatus.Failed, c.Status));
        // Only the first copy reached the network; the second failed on the flag without another sign-in.
        Assert.Single(copies, c => c.Attempts == 1);
        Assert.Single(copies, c => c.Attempts == 0 && c.LastError.Contains("reconnect", StringComparison.Ordinal));
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(ConnectionStatus.NeedsReconnect, (await db.Set<AccountConnection>().SingleAsync(c => c.AccountId == room.AccountId)).Status);
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.OrganizationId == room.Org.Id && a.Action == "account.needs_reconnect"));
        });
        Assert.Single(await room.NotificationsAsync(room.Owner), n => n.StartsWith($"account-reconnect:{room.AccountId}", StringComparison.Ordinal));
        Assert.Single(await room.NotificationsAsync(room.Admin), n => n.StartsWith($"account-reconnect:{room.AccountId}", StringComparison.Ordinal));
        Assert.Contains(await room.NotificationsAsync(room.Author), n => n.StartsWith($"post-failed:{first}", StringComparison.Ordinal));
        Assert.Contains(app.MailTo(room.Owner.Email!), m => m.Contains("needs reconnecting", StringComparison.Ordinal));

        await room.ConnectAsync(room.AccountId, FakeNetwork.Service.ToString(), network.Identifier, network.Secret);
        var third = await room.PostAsync("Visiting hours: back to normal.", app.Clock.GetUtcNow());
        Assert.Equal(1, (await app.PublishAsync()).Published);
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(third)).Status);
    }

    [Fact]
    public async Task Retryable_failures_back_off_and_then_the_post_goes_out()
    {
        var room = await app.NewsroomAsync("retry");
        var network = await room.ConnectFakeAsync();
        network.Script.Enqueue(FakeStep.Refuse(FailureKind.Retryable, "502 Bad Gateway"));
        network.Script.Enqueue(FakeStep.Refuse(FailureKind.Retryable, "503 Service Unavailable"));
        var postId = await room.PostAsync("Flu shots for staff this week.", app.Clock.GetUtcNow());
        var start = app.Clock.GetUtcNow();

        Assert.Equal(1, (await app.PublishAsync()).Retrying);
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal((DeliveryStatus.Waiting, 1, start + DeliverCopy.FirstBackoff), (copy.Status, copy.Attempts, copy.NextAttemptAt));
        Assert.Equal(0, (await app.PublishAsync()).Retrying);
        Assert.Equal(1, network.PublishCalls);

        app.Clock.Advance(DeliverCopy.FirstBackoff);
        Assert.Equal(1, (await app.PublishAsync()).Retrying);
        copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(app.Clock.GetUtcNow() + 2 * DeliverCopy.FirstBackoff, copy.NextAttemptAt);

        app.Clock.Advance(2 * DeliverCopy.FirstBackoff);
        Assert.Equal(1, (await app.PublishAsync()).Published);
        Assert.Equal(3, network.PublishCalls);
        copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.Published, copy.Status);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Published], (await room.AttemptsAsync(copy.Id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task A_rate_limit_holds_every_copy_of_the_account_until_the_time_the_network_gave()
    {
        var room = await app.NewsroomAsync("limit");
        var network = await room.ConnectFakeAsync();
        network.Script.Enqueue(FakeStep.Refuse(FailureKind.RateLimited, "429 Too Many Requests", TimeSpan.FromSeconds(90)));
        var start = app.Clock.GetUtcNow();
        var first = await room.PostAsync("Cafeteria menu for the week.", start);
        var second = await room.PostAsync("Cafeteria: Friday is pizza.", start);

        var run = await app.PublishAsync();

        Assert.Equal((0, 1), (run.Published, run.Retrying));
        Assert.Equal(1, network.PublishCalls);
        var copies = (await room.CopiesAsync(first)).Concat(await room.CopiesAsync(second)).ToList();
        Assert.All(copies, c => Assert.Equal((DeliveryStatus.Waiting, 0, start.AddSeconds(90)), (c.Status, c.Attempts, c.NextAttemptAt)));

        // A post approved meanwhile for the same account waits too, and nothing is tried early.
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        var third = await room.PostAsync("Cafeteria: new salad bar.", app.Clock.GetUtcNow());
        Assert.Equal(0, (await app.PublishAsync()).Published);
        Assert.Equal(1, network.PublishCalls);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, (await app.PublishAsync()).Published);
        Assert.Equal(4, network.PublishCalls);
        foreach (var postId in new[] { first, second, third })
        {
            Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(postId)).Status);
        }
    }

    [Fact]
    public async Task A_lost_answer_is_read_back_instead_of_publishing_again()
    {
        var room = await app.NewsroomAsync("lost");
        var network = await room.ConnectFakeAsync();
        network.Script.Enqueue(new FakeStep(LoseAnswer: true));
        network.Script.Enqueue(new FakeStep(new NetworkException(FailureKind.Retryable, "Connection reset after sending.", outcomeUnknown: true)));
        var stored = await room.PostAsync("Stroke awareness: know the signs.", app.Clock.GetUtcNow());

        Assert.Equal(1, (await app.PublishAsync()).Retrying);
        var copy = Assert.Single(await room.CopiesAsync(stored));
        Assert.True(copy.OutcomeUnknown);
        Assert.Single(network.Posts);

        app.Clock.Advance(DeliverCopy.FirstBackoff);
        Assert.Equal(1, (await app.PublishAsync()).Published);
        copy = Assert.Single(await room.CopiesAsync(stored));
        Assert.Equal((DeliveryStatus.Published, false), (copy.Status, copy.OutcomeUnknown));
        Assert.Equal(network.Published(copy.IdempotencyKey).Id, copy.ExternalId);
        Assert.Equal([AttemptOutcome.Unknown, AttemptOutcome.FoundExisting], (await room.AttemptsAsync(copy.Id)).Select(a => a.Outcome));
        Assert.Equal((1, 1), (network.PublishCalls, network.FindCalls));
        Assert.Single(network.Posts);

        // When the read-back finds nothing, the post had not been stored, and it is published now.
        var notStored = await room.PostAsync("Stroke awareness: call 911.", app.Clock.GetUtcNow());
        Assert.Equal(1, (await app.PublishAsync()).Retrying);
        app.Clock.Advance(DeliverCopy.FirstBackoff);
        Assert.Equal(1, (await app.PublishAsync()).Published);
        copy = Assert.Single(await room.CopiesAsync(notStored));
        Assert.Equal([AttemptOutcome.Unknown, AttemptOutcome.Published], (await room.AttemptsAsync(copy.Id)).Select(a => a.Outcome));
        Assert.Equal(2, network.Posts.Count);
    }

    [Fact]
    public async Task A_copy_left_mid_send_by_a_stopped_instance_is_read_back_once_its_claim_lapses()
    {
        var room = await app.NewsroomAsync("lapse");
        var network = await room.ConnectFakeAsync();
        var postId = await room.PostAsync("Mammography van visits Eastside.", app.Clock.GetUtcNow());
        var copy = Assert.Single(await room.CopiesAsync(postId));
        // What a stopped instance leaves: its claim, an attempt still started, and the post on the network.
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var now = app.Clock.GetUtcNow();
            await db.Set<PostTarget>().Where(t => t.Id == copy.Id).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, DeliveryStatus.Sending).SetProperty(t => t.ClaimedBy, "stopped").SetProperty(t => t.ClaimedUntil, now.AddMinutes(2)).SetProperty(t => t.Attempts, 1));
            db.Add(new DeliveryAttempt { OrganizationId = room.Org.Id, TargetId = copy.Id, Instance = "stopped", StartedAt = now, Outcome = AttemptOutcome.Started });
            await db.SaveChangesAsync();
        });
        network.Posts[copy.IdempotencyKey] = "Mammography van visits Eastside.";

        Assert.Equal(0, (await app.PublishAsync()).Published);

        app.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await app.PublishAsync()).Published);
        Assert.Equal(0, network.PublishCalls);
        Assert.Equal([AttemptOutcome.Unknown, AttemptOutcome.FoundExisting], (await room.AttemptsAsync(copy.Id)).Select(a => a.Outcome));
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(postId)).Status);
    }

    [Fact]
    public async Task Content_the_network_refuses_fails_at_once_and_the_author_learns_why()
    {
        var room = await app.NewsroomAsync("content");
        var network = await room.ConnectFakeAsync();
        network.Script.Enqueue(FakeStep.Refuse(FailureKind.Content, "The post is 320 graphemes; Bluesky allows 300."));
        var postId = await room.PostAsync("A long story about our volunteers.", app.Clock.GetUtcNow());

        Assert.Equal(1, (await app.PublishAsync()).Failed);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await app.PublishAsync()).Failed);

        Assert.Equal(1, network.PublishCalls);
        Assert.Equal(PostStatus.Failed, (await room.ReadPostAsync(postId)).Status);
        Assert.Contains(await room.NotificationsAsync(room.Author), n => n.StartsWith($"post-failed:{postId}", StringComparison.Ordinal) && n.Contains("Bluesky allows 300", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publishing_settings_are_read_by_members_and_changed_by_admins_within_bounds()
    {
        var room = await app.NewsroomAsync("settings");
        var url = $"/api/v1/orgs/{room.Org.Slug}/publishing/settings";
        var author = await app.ApiClientAsync(room.Author);
        var admin = await app.ApiClientAsync(room.Admin);

        Assert.Equal(60, (await HttpAssert.ReadAsync<PublishingSettingsDto>(await author.GetAsync(url))).GraceMinutes);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.PutAsJsonAsync(url, new { graceMinutes = 90 })).StatusCode);
        var tooShort = await admin.PutAsJsonAsync(url, new { graceMinutes = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("graceMinutes", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(90, (await HttpAssert.ReadAsync<PublishingSettingsDto>(await admin.PutAsJsonAsync(url, new { graceMinutes = 90 }))).GraceMinutes);
        Assert.Equal(90, (await HttpAssert.ReadAsync<PublishingSettingsDto>(await author.GetAsync(url))).GraceMinutes);
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().AuditEntries.AnyAsync(a => a.OrganizationId == room.Org.Id && a.Action == "publishing.settings_changed")));
    }

    [Fact]
    public async Task Admins_change_the_grace_window_on_the_settings_page()
    {
        var room = await app.NewsroomAsync("settingspage");
        var session = FormSession.Create(app);
        await session.LoginAsync(room.Admin.Email!);
        var page = $"/o/{room.Org.Slug}/settings";
        Assert.Equal("60", (await session.GetAsync(page)).QuerySelector("#grace-minutes")!.GetAttribute("value"));

        var (_, refused) = await session.SubmitAsync(page, "publishing", new Dictionary<string, string> { ["Grace.Minutes"] = "2" });
        Assert.Contains("from 5 to 1440", refused.Body!.TextContent, StringComparison.Ordinal);

        var (_, saved) = await session.SubmitAsync(page, "publishing", new Dictionary<string, string> { ["Grace.Minutes"] = "120" });
        Assert.Contains("Publishing settings saved.", saved.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(120, await app.WithScopeAsync(s => s.GetRequiredService<DeliverySettings>().GraceMinutesAsync(room.Org.Id)));
    }

    /// <summary>
    /// Approval checks the lift of its moment; before delivery checked again, a lift pushed back after approval let
    /// the copy go out at the post's time, breaking the embargo.
    /// </summary>
    [Fact]
    public async Task A_copy_linking_to_a_release_whose_lift_was_pushed_back_after_approval_waits_for_the_new_lift()
    {
        var room = await app.NewsroomAsync("lift");
        var network = await room.ConnectFakeAsync();
        var now = app.Clock.GetUtcNow();
        var release = new Rounds.Web.Features.PressRoom.PressRelease { OrganizationId = room.Org.Id, Title = "Stroke unit", Status = Rounds.Web.Features.PressRoom.ReleaseStatus.Scheduled, LiftAt = now.AddMinutes(5), LiftZone = "America/Chicago", CreatedAt = now, UpdatedAt = now };
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(release);
            return await db.SaveChangesAsync();
        });
        var postId = await room.PostAsync($"The stroke unit is open: https://rounds.example/press/{room.Org.Slug}/releases/{release.Id}", now.AddMinutes(10));

        // The team moves the lift an hour on, after the post was approved for ten minutes from now.
        var newLift = now.AddMinutes(60);
        await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.PressRoom.PressRelease>()
            .Where(r => r.Id == release.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LiftAt, newLift)));

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var run = await app.PublishAsync();
        Assert.Equal((0, 1), (run.Published, run.Held));
        Assert.Equal(0, network.PublishCalls);
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal((DeliveryStatus.Waiting, newLift, 0), (copy.Status, copy.NextAttemptAt, copy.Attempts));
        Assert.Contains("under embargo until", copy.LastError, StringComparison.Ordinal);
        Assert.Empty(await room.AttemptsAsync(copy.Id));
        Assert.Contains(await room.NotificationsAsync(room.Author), n => n.StartsWith($"post:{postId}:embargo-hold:", StringComparison.Ordinal));

        // Still held a minute before the new lift, however often the publisher runs; out at the lift, not missed.
        app.Clock.SetUtcNow(newLift.AddMinutes(-1));
        Assert.Equal(0, (await app.PublishAsync()).Published);
        app.Clock.SetUtcNow(newLift);
        Assert.Equal(1, (await app.PublishAsync()).Published);
        Assert.Equal(1, network.PublishCalls);
        Assert.Equal(DeliveryStatus.Published, Assert.Single(await room.CopiesAsync(postId)).Status);
    }
}

public sealed class PublisherTestsOnSqlite(DeliverySqlite app) : PublisherTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class PublisherTestsOnPostgres(DeliveryPostgres app) : PublisherTests(app), IClassFixture<DeliveryPostgres>;
