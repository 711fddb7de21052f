using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <param name="ReadAudience"><c>everyone</c>, <c>members</c>, <c>premium</c> or <c>group</c>, with the group's handle in <paramref name="ReadGroup"/>.</param>
public sealed record CategoryDto(Guid Id, string Name, string Description, string ReadRole, string PostRole, int Topics, bool CanPost, string WatchLevel, IReadOnlyList<string> AllowedTags,
    string ReadAudience, string? ReadGroup, string PostAudience, string? PostGroup);

public sealed record TopicSummaryDto(Guid Id, Guid CategoryId, string Category, string Title, string Author, int Posts, bool Pinned, bool Closed, bool Held, int? Unread, DateTimeOffset LastPostedAt, IReadOnlyList<string> Tags);

/// <summary>A post as its reader may see it: the findings only for its author and the moderators, no text once hidden.</summary>
public sealed record PostDto(Guid Id, int? Number, string State, string Author, string AuthorHandle, string? Body, string? Html, int? ReplyTo, IReadOnlyList<string> LikedBy, bool LikedByMe, string? Findings, int Revision, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt);

/// <summary>One page of a topic (<see cref="TopicPages.PostsPerPage"/> posts), with how many pages it has.</summary>
public sealed record TopicDto(Guid Id, Guid CategoryId, string Title, bool Pinned, bool Closed, string WatchLevel, IReadOnlyList<PostDto> Posts, int Page, int Pages, IReadOnlyList<string> Tags);

public sealed record PostBody(string? Body, int? ReplyTo);

public sealed record TopicBody(string? Title, string? Body, IReadOnlyList<string?>? Tags = null);

public sealed record TagsBody(IReadOnlyList<string?>? Tags);

public sealed record GroupDto(Guid Id, string Handle, string Name, bool Mentionable, IReadOnlyList<string> Members);

public sealed record WatchBody(string? Level);

public sealed record FlagBody(string? Reason, string? Note);

public sealed record TopicStateBody(bool? Pinned, bool? Closed);

/// <param name="TopicId">The topic being answered, so quotes of its posts show their source; left out for a new topic.</param>
public sealed record PreviewBody(string? Body, Guid? TopicId);

public sealed record PreviewDto(string Html);

public sealed record MoveBody(Guid? CategoryId);

public sealed record MergeBody(Guid? IntoTopicId);

public sealed record SplitBody(IReadOnlyList<int>? Posts, string? Title, Guid? CategoryId);

/// <summary>Where a post is now: its topic and number, and the page address that shows it.</summary>
public sealed record PostPlaceDto(Guid TopicId, int Number, string Href);

public sealed record ReviewBody(string? Action, int? Days = null);

public sealed record DigestBody(string? Frequency);

public sealed record ReviewItemDto(Guid PostId, Guid TopicId, string Topic, string Author, string State, string Body, string? Findings, IReadOnlyList<FlagDto> Flags);

public sealed record FlagDto(Guid Id, string Reason, string Note, string By, DateTimeOffset At);

public sealed record SearchHitDto(Guid TopicId, string Topic, int Number, string Author, string SnippetHtml);

public sealed record RevisionDto(int Revision, string Body, DateTimeOffset EditedAt);

public sealed record WatchedWordDto(Guid Id, string Phrase, string Action, string Replacement, DateTimeOffset CreatedAt);

/// <summary>
/// The board's API under <c>/orgs/{org}/community</c>, for every member; what each may read or do is decided by
/// the categories and the use cases, as on the pages.
/// </summary>
public static class CommunityEndpoints
{
    public static void Map(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        var board = api.MapGroup("/orgs/{org}/community").WithTags("Community").RequireOrg(Role.Member);
        board.MapGet("/categories", CategoriesAsync).WithName("ListCommunityCategories");
        board.MapPost("/categories", CreateCategoryAsync).WithName("CreateCommunityCategory")
            .WithSummary("{\"name\":\"Premium lounge\",\"readRole\":\"member\",\"readAudience\":\"premium\"}; audiences: everyone, members, premium, or group with readGroup/postGroup naming a group's handle.");
        board.MapPut("/categories/{categoryId:guid}/audience", SetAudienceAsync).WithName("SetCommunityCategoryAudience")
            .WithSummary("Admins: who reads and posts. {\"readRole\":\"member\",\"readAudience\":\"group\",\"readGroup\":\"PressTeam\",\"postAudience\":\"group\"}");
        board.MapPut("/categories/{categoryId:guid}/watch", WatchCategoryAsync).WithName("WatchCommunityCategory")
            .WithSummary("Level: watching, watching_first_post, tracking, normal or muted.");
        board.MapGet("/topics", TopicsAsync).WithName("ListCommunityTopics")
            .WithSummary("Pinned first, then by latest post; categoryId or tag narrow the list, page (from 1) pages it, 50 a page.");
        board.MapPut("/topics/{topicId:guid}/tags", SetTagsAsync).WithName("TagCommunityTopic")
            .WithSummary("The topic's author or a moderator: up to 5 tags of letters, digits and hyphens; the list replaces the topic's tags.");
        board.MapPut("/categories/{categoryId:guid}/tags", SetAllowedTagsAsync).WithName("LimitCommunityCategoryTags")
            .WithSummary("Moderators: the only tags topics in the category may take; an empty list allows any.");
        board.MapPost("/categories/{categoryId:guid}/topics", StartTopicAsync).WithName("StartCommunityTopic");
        board.MapGet("/topics/{topicId:guid}", TopicAsync).WithName("GetCommunityTopic").WithSummary("One page of the topic's posts (page=1 by default, 50 a page).");
        board.MapPost("/topics/{topicId:guid}/posts", ReplyAsync).WithName("ReplyInCommunityTopic");
        board.MapPut("/topics/{topicId:guid}/watch", WatchTopicAsync).WithName("WatchCommunityTopic");
        board.MapPatch("/topics/{topicId:guid}", SetTopicAsync).WithName("UpdateCommunityTopic").WithSummary("Moderators pin or close a topic.");
        board.MapPost("/topics/{topicId:guid}/move", async (OrgContext org, Guid topicId, MoveBody body, MoveTopics moves, CancellationToken ct) =>
                Done(await moves.MoveAsync(org, topicId, body.CategoryId, ct), t => TypedResults.Ok(new { t.Id, t.CategoryId })))
            .WithName("MoveCommunityTopic").WithSummary("Moderators: move the topic to categoryId; tags the category does not allow are dropped.");
        board.MapPost("/topics/{topicId:guid}/merge", async (OrgContext org, Guid topicId, MergeBody body, MoveTopics moves, CancellationToken ct) =>
                Done(await moves.MergeAsync(org, topicId, body.IntoTopicId, ct), t => TypedResults.Ok(new { t.Id, Posts = t.LastNumber })))
            .WithName("MergeCommunityTopic").WithSummary("Moderators: the topic's posts join intoTopicId, all numbered again by time; the merged topic's address leads there.");
        board.MapPost("/topics/{topicId:guid}/split", async (OrgContext org, Guid topicId, SplitBody body, MoveTopics moves, CancellationToken ct) =>
                Done(await moves.SplitAsync(org, topicId, new SplitInput(body.Posts, body.Title, body.CategoryId), ct),
                    t => TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/community/topics/{t.Id}", new { t.Id, t.Title, t.CategoryId, Posts = t.LastNumber })))
            .WithName("SplitCommunityTopic").WithSummary("Moderators: posts (numbers, never 1) leave for a new topic with title, in categoryId or the same category.");
        board.MapGet("/topics/{topicId:guid}/posts/{number:int}", PostPlaceAsync).WithName("FindCommunityPost")
            .WithSummary("Where post number of the topic is now, following merges and splits.");
        board.MapPut("/posts/{postId:guid}", EditAsync).WithName("EditCommunityPost");
        board.MapGet("/posts/{postId:guid}/revisions", RevisionsAsync).WithName("ListCommunityPostRevisions");
        board.MapPut("/posts/{postId:guid}/like", (OrgContext org, Guid postId, LikePost likes, CancellationToken ct) => LikeAsync(org, postId, true, likes, ct)).WithName("LikeCommunityPost");
        board.MapDelete("/posts/{postId:guid}/like", (OrgContext org, Guid postId, LikePost likes, CancellationToken ct) => LikeAsync(org, postId, false, likes, ct)).WithName("UnlikeCommunityPost");
        board.MapPost("/posts/{postId:guid}/flags", FlagAsync).WithName("FlagCommunityPost")
            .WithSummary("Reason: off_topic, inappropriate, patient_information, spam or something_else (with a note).");
        board.MapGet("/search", SearchAsync).WithName("SearchCommunity").WithSummary(
            "Posts with every word of q, best first, 20 a page (page=1 to 50; a Link header names the next). Filters, as fields or typed in q: "
            + "categoryId (category:name), tag (tag:name), author (@handle), after and before (after:2026-03-01: on or after that day, UTC; before: the day before), inTitle=true (in:title).");
        board.MapGet("/digest", async (OrgContext org, Digests digests, CancellationToken ct) => TypedResults.Ok(new { Frequency = Digests.Key(await digests.FrequencyAsync(org, ct)) })).WithName("GetCommunityDigest");
        board.MapPut("/digest", async (OrgContext org, DigestBody body, Digests digests, CancellationToken ct) => (await digests.SetAsync(org, Digests.Parse(body.Frequency), ct)).ToProblem())
            .WithName("SetCommunityDigest").WithSummary("Frequency: off, daily or weekly.");
        board.MapGet("/groups", async (OrgContext org, Groups groups, CancellationToken ct) => TypedResults.Ok((await groups.ListAsync(org, ct)).Select(ToDto).ToList())).WithName("ListCommunityGroups");
        board.MapPost("/groups", async (OrgContext org, GroupInput body, Groups groups, CancellationToken ct) =>
                Done(await groups.CreateAsync(org, body, ct), g => TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/community/groups/{g.Group.Id}", ToDto(g))))
            .WithName("CreateCommunityGroup").WithSummary("Moderators: handle, name, mentionable (may ordinary members mention it) and members (their handles).");
        board.MapPut("/groups/{groupId:guid}", async (OrgContext org, Guid groupId, GroupInput body, Groups groups, CancellationToken ct) => Done(await groups.UpdateAsync(org, groupId, body, ct), g => TypedResults.Ok(ToDto(g))))
            .WithName("UpdateCommunityGroup").WithSummary("Moderators: fields left out keep their value; a members list replaces the members.");
        board.MapGet("/mentions", async (OrgContext org, string? q, MentionSuggestions suggestions, CancellationToken ct) => Done(await suggestions.SuggestAsync(org, q, ct), list => TypedResults.Ok(list)))
            .WithName("SuggestCommunityMentions").WithSummary("For the editor's @: up to 10 members and groups the caller may mention whose handle or name starts with q.");
        board.MapPost("/preview", async (OrgContext org, PreviewBody body, BoardQueries queries, CancellationToken ct) =>
                Done(await queries.PreviewAsync(org, body.Body, body.TopicId, ct), html => TypedResults.Ok(new PreviewDto(html))))
            .WithName("PreviewCommunityPost").WithSummary("The editor's preview: body rendered as a post would be (Markdown, quotes, mention links); nothing is saved.");
        board.MapGet("/review", ReviewQueueAsync).WithName("ListCommunityReviewQueue");
        board.MapGet("/watched-words", async (OrgContext org, WatchedWords words, CancellationToken ct) => Done(await words.ListAsync(org, ct), list => TypedResults.Ok(list.Select(ToDto).ToList())))
            .WithName("ListCommunityWatchedWords");
        board.MapPost("/watched-words", async (OrgContext org, WatchedWordInput body, WatchedWords words, CancellationToken ct) =>
                Done(await words.AddAsync(org, body, ct), w => TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/community/watched-words", ToDto(w))))
            .WithName("AddCommunityWatchedWord").WithSummary("Moderators: phrase, and action block (hold the post for review), flag (post it and queue it for review) or replace (with replacement).");
        board.MapDelete("/watched-words/{wordId:guid}", async (OrgContext org, Guid wordId, WatchedWords words, CancellationToken ct) => (await words.RemoveAsync(org, wordId, ct)).ToProblem())
            .WithName("RemoveCommunityWatchedWord");
        board.MapPost("/review/{postId:guid}", ReviewAsync).WithName("ReviewCommunityPost").WithSummary("Action: release, reject, hide, dismiss, or silence (the author, with days: 1 to 365, 0 lifts).");

        // The link in a digest works without signing in: the signed token is the permission. Opening it asks for a
        // click, so a mail scanner that follows links does not unsubscribe anyone.
        app.MapGet("/community/unsubscribe/{token}", UnsubscribePage).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/community/unsubscribe/{token}", UnsubscribeAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    private static GroupDto ToDto(GroupView g) => new(g.Group.Id, g.Group.Handle, g.Group.Name, g.Group.Mentionable, g.Members.Select(m => m.Handle).ToList());

    private static WatchedWordDto ToDto(CommunityWatchedWord w) => new(w.Id, w.Phrase, WatchedWords.Key(w.Action), w.Replacement, w.CreatedAt);

    public static PostDto ToDto(PostView view, bool mayReadFindings)
    {
        var p = view.Post;
        var shown = view.Html.Length > 0 || p.State != PostState.Hidden;
        return new(p.Id, p.Number, p.State.ToString().ToLowerInvariant(), view.AuthorName, view.AuthorHandle, shown ? view.Body : null, shown ? view.Html : null,
            p.ReplyToNumber, view.LikedBy, view.LikedByMe, mayReadFindings && p.Findings.Length > 0 ? p.Findings : null, p.Revision, p.CreatedAt, p.EditedAt);
    }

    private static IResult Done<T>(Outcome<T> outcome, Func<T, IResult> ok) => outcome.Succeeded ? ok(outcome.Value!) : outcome.Status.ToProblem();

    public static async Task<IResult> CategoriesAsync(OrgContext org, BoardQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok((await queries.CategoriesAsync(org, cancellationToken)).Select(c => new CategoryDto(
            c.Category.Id, c.Category.Name, c.Category.Description, Roles.Key(c.Category.ReadRole), Roles.Key(c.Category.PostRole), c.Topics, c.CanPost, SetWatchLevel.Key(c.Level),
            TopicTags.AllowedIn(c.Category), Categories.Key(c.Category.ReadAudience), c.ReadGroup, Categories.Key(c.Category.PostAudience), c.PostGroup)).ToList());

    public static async Task<IResult> CreateCategoryAsync(OrgContext org, CategoryInput body, Categories categories, CancellationToken cancellationToken) =>
        Done(await categories.CreateAsync(org, body, cancellationToken), c => TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/community/categories", new { c.Id, c.Name }));

    public static async Task<IResult> SetAudienceAsync(OrgContext org, Guid categoryId, AudienceInput body, Categories categories, CancellationToken cancellationToken) =>
        Done(await categories.SetAudienceAsync(org, categoryId, body, cancellationToken), c => TypedResults.Ok(new
        {
            c.Id, c.Name, ReadRole = Roles.Key(c.ReadRole), PostRole = Roles.Key(c.PostRole), ReadAudience = Categories.Key(c.ReadAudience), PostAudience = Categories.Key(c.PostAudience),
        }));

    public static async Task<IResult> TopicsAsync(OrgContext org, Guid? categoryId, string? tag, int? page, BoardQueries queries, CancellationToken cancellationToken)
    {
        if (page is < 1)
        {
            return Outcome.Invalid("Page", "Pages are numbered from 1.").ToProblem();
        }

        var wanted = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().TrimStart('#').ToLowerInvariant();
        if (wanted is not null && !TopicTags.IsTag(wanted))
        {
            return Outcome.Invalid("Tag", "Write the tag as it is shown on topics: letters and digits with single hyphens, such as patient-privacy.").ToProblem();
        }

        // Without paging asked for, the list keeps its old shape: the latest hundred.
        List<TopicRow> rows;
        if (page is { } asked)
        {
            var listed = await queries.TopicPageAsync(org, categoryId, wanted, asked, cancellationToken);
            // A page past the end is empty, not the last page again, so a client paging until empty stops.
            rows = listed.Page == asked ? listed.Topics : [];
        }
        else
        {
            rows = await queries.TopicsAsync(org, categoryId, 100, cancellationToken, wanted);
        }

        return TypedResults.Ok(rows.Select(t => new TopicSummaryDto(
            t.Topic.Id, t.Topic.CategoryId, t.CategoryName, t.Topic.Title, t.AuthorName, t.Topic.LastNumber, t.Topic.Pinned, t.Topic.Closed, t.Held, t.Unread, t.Topic.LastPostedAt, t.Tags)).ToList());
    }

    public static async Task<IResult> SetTagsAsync(OrgContext org, Guid topicId, TagsBody body, TopicTags tags, CancellationToken cancellationToken) =>
        Done(await tags.SetAsync(org, topicId, body.Tags, cancellationToken), t => TypedResults.Ok(new { Tags = t }));

    public static async Task<IResult> SetAllowedTagsAsync(OrgContext org, Guid categoryId, TagsBody body, TopicTags tags, CancellationToken cancellationToken) =>
        Done(await tags.SetAllowedAsync(org, categoryId, body.Tags, cancellationToken), t => TypedResults.Ok(new { AllowedTags = t }));

    public static async Task<IResult> StartTopicAsync(OrgContext org, Guid categoryId, TopicBody body, WritePost write, CancellationToken cancellationToken) =>
        Done(await write.StartTopicAsync(org, categoryId, new TopicInput(body.Title, body.Body, body.Tags), cancellationToken),
            p => TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/community/topics/{p.TopicId}", new { TopicId = p.TopicId, PostId = p.Id, p.Number, State = p.State.ToString().ToLowerInvariant(), Findings = p.Findings.Length > 0 ? p.Findings : null }));

    public static async Task<IResult> PostPlaceAsync(OrgContext org, Guid topicId, int number, MoveTopics moves, CancellationToken cancellationToken) =>
        await moves.FindAsync(org, topicId, number, cancellationToken) is { } found
            ? TypedResults.Ok(new PostPlaceDto(found.TopicId, found.Number, TopicPages.Href(org.Organization.Slug, found.TopicId, found.Number)))
            : Outcome.NotFound.ToProblem();

    public static async Task<IResult> TopicAsync(OrgContext org, Guid topicId, int? page, BoardQueries queries, MoveTopics moves, CancellationToken cancellationToken)
    {
        if (page is < 1)
        {
            return Outcome.Invalid("Page", "Pages are numbered from 1.").ToProblem();
        }

        var view = await queries.TopicAsync(org, topicId, page ?? 1, cancellationToken);
        if (view is null)
        {
            // A merged topic's address leads to the topic it joined.
            return await moves.WhereDidItGoAsync(org, topicId, page ?? 1, cancellationToken) is { } merged
                ? (IResult)TypedResults.Redirect($"/api/v1/orgs/{org.Organization.Slug}/community/topics/{merged.TopicId}?page={TopicPages.Of(merged.Number)}", permanent: true, preserveMethod: true)
                : Outcome.NotFound.ToProblem();
        }

        await queries.MarkReadAsync(org, view.Topic, view.LastOnPage, cancellationToken);
        var moderator = BoardAccess.IsModerator(org);
        return TypedResults.Ok(new TopicDto(view.Topic.Id, view.Category.Id, view.Topic.Title, view.Topic.Pinned, view.Topic.Closed, SetWatchLevel.Key(view.Level),
            view.Posts.Select(p => ToDto(p, moderator || p.Post.AuthorId == org.UserId)).ToList(), view.Page, view.Pages, view.Tags));
    }

    public static async Task<IResult> ReplyAsync(OrgContext org, Guid topicId, PostBody body, WritePost write, CancellationToken cancellationToken) =>
        Done(await write.ReplyAsync(org, topicId, new ReplyInput(body.Body, body.ReplyTo), cancellationToken),
            p => TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/community/topics/{topicId}", new { PostId = p.Id, p.Number, State = p.State.ToString().ToLowerInvariant(), Findings = p.Findings.Length > 0 ? p.Findings : null }));

    public static async Task<IResult> WatchCategoryAsync(OrgContext org, Guid categoryId, WatchBody body, SetWatchLevel watch, CancellationToken cancellationToken) =>
        (await watch.ForCategoryAsync(org, categoryId, SetWatchLevel.Parse(body.Level), cancellationToken)).ToProblem();

    public static async Task<IResult> WatchTopicAsync(OrgContext org, Guid topicId, WatchBody body, SetWatchLevel watch, CancellationToken cancellationToken) =>
        (await watch.ForTopicAsync(org, topicId, SetWatchLevel.Parse(body.Level), cancellationToken)).ToProblem();

    public static async Task<IResult> SetTopicAsync(OrgContext org, Guid topicId, TopicStateBody body, Moderate moderate, CancellationToken cancellationToken) =>
        Done(await moderate.SetTopicAsync(org, topicId, body.Pinned, body.Closed, cancellationToken), t => TypedResults.Ok(new { t.Id, t.Pinned, t.Closed }));

    public static async Task<IResult> EditAsync(OrgContext org, Guid postId, PostBody body, EditPost edit, CancellationToken cancellationToken) =>
        Done(await edit.EditAsync(org, postId, body.Body, cancellationToken), p => TypedResults.Ok(new { PostId = p.Id, p.Revision }));

    public static async Task<IResult> RevisionsAsync(OrgContext org, Guid postId, BoardQueries queries, CancellationToken cancellationToken) =>
        await queries.RevisionsAsync(org, postId, cancellationToken) is { } revisions
            ? TypedResults.Ok(revisions.Select(r => new RevisionDto(r.Revision, r.Body, r.EditedAt)).ToList())
            : Outcome.NotFound.ToProblem();

    private static async Task<IResult> LikeAsync(OrgContext org, Guid postId, bool like, LikePost likes, CancellationToken cancellationToken) =>
        (await likes.LikeAsync(org, postId, like, cancellationToken)).ToProblem();

    public static async Task<IResult> FlagAsync(OrgContext org, Guid postId, FlagBody body, FlagPost flags, CancellationToken cancellationToken) =>
        Done(await flags.FlagAsync(org, postId, FlagNames.Parse(body.Reason), body.Note, cancellationToken), f => TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/community/review", new { f.Id }));

    /// <summary>A page of hits stays a JSON array, as it always was; the next page is named in a <c>Link: rel="next"</c> header (RFC 8288).</summary>
    public static async Task<IResult> SearchAsync(HttpContext http, OrgContext org, string? q, Guid? categoryId, string? author, string? after, string? before, bool? inTitle, int? page, string? tag,
        BoardSearch search, CancellationToken cancellationToken)
    {
        var found = await search.SearchAsync(org, new SearchRequest(q, categoryId, author, after, before, inTitle ?? false, page ?? 1, tag), 20, cancellationToken);
        if (found.Value is { HasMore: true } results)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value);
            query["page"] = (results.Page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var link = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(http.Request.PathBase + http.Request.Path, query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))));
            http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
        }

        return Done(found, r => TypedResults.Ok(r.Hits.Select(h => new SearchHitDto(h.TopicId, h.TopicTitle, h.Number, h.AuthorName, h.SnippetHtml)).ToList()));
    }

    private static IResult Html(string title, string body, int status = StatusCodes.Status200OK) => TypedResults.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Rounds</title></head><body><main><h1>{title}</h1>{body}</main></body></html>",
        "text/html; charset=utf-8", statusCode: status);

    public static IResult UnsubscribePage(string token) => Html("Stop community digests",
        $"<form method=\"post\" action=\"/community/unsubscribe/{System.Net.WebUtility.HtmlEncode(Uri.EscapeDataString(token))}\"><p>Stop the community digests sent to you?</p><button type=\"submit\">Stop digests</button></form>");

    public static async Task<IResult> UnsubscribeAsync(string token, Digests digests, CancellationToken cancellationToken) =>
        await digests.UnsubscribeAsync(token, cancellationToken)
            ? Html("Digests stopped", "<p>You will get no more community digests. Choose them again on the community page whenever you like.</p>")
            : Html("Link not recognised", "<p>This link is not valid. Turn digests off on the community page after signing in.</p>", StatusCodes.Status404NotFound);

    public static async Task<IResult> ReviewQueueAsync(OrgContext org, BoardQueries queries, CancellationToken cancellationToken)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) see the review queue.").ToProblem();
        }

        return TypedResults.Ok((await queries.ReviewQueueAsync(org, cancellationToken)).Select(i => new ReviewItemDto(
            i.Post.Id, i.Post.TopicId, i.TopicTitle, i.AuthorName, i.Post.State.ToString().ToLowerInvariant(), i.Post.Body, i.Post.Findings.Length > 0 ? i.Post.Findings : null,
            i.Flags.Select(f => new FlagDto(f.Flag.Id, FlagNames.Key(f.Flag.Reason), f.Flag.Note, f.By, f.Flag.CreatedAt)).ToList())).ToList());
    }

    public static async Task<IResult> ReviewAsync(OrgContext org, Guid postId, ReviewBody body, Moderate moderate, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ReviewAction>(body.Action, ignoreCase: true, out var action) || !Enum.IsDefined(action) || int.TryParse(body.Action, out _))
        {
            return Outcome.Invalid("Action", "Choose release, reject, hide, dismiss or silence.").ToProblem();
        }

        return Done(await moderate.ReviewAsync(org, postId, action, cancellationToken, body.Days), p => TypedResults.Ok(new { PostId = p.Id, p.Number, State = p.State.ToString().ToLowerInvariant() }));
    }
}
