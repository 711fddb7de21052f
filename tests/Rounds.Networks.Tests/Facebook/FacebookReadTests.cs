using System.Security.Cryptography;
using System.Text;
using Rounds.Networks.Facebook;
using Rounds.Networks.Ingestion;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.Facebook;

/// <summary>
/// Reading a Facebook Page for monitoring: the <c>feed</c> webhook's subscription check, its HMAC-SHA256 signature
/// over the raw body and its changes; and the polling that fills gaps, against a stand-in following the Graph API.
/// </summary>
[Trait("Network", "Facebook")]
public sealed class FacebookReadTests : IAsyncLifetime
{
    private const string AppSecret = "app-secret-of-the-rounds-app";

    private readonly FacebookStandIn graph = new();

    public Task InitializeAsync() => graph.InitializeAsync();

    public Task DisposeAsync() => graph.DisposeAsync();

    private FacebookPostSource Source(string token = FacebookStandIn.Token) => new(graph.Http, graph.Url, FacebookStandIn.PageId, token, TimeProvider.System);

    public static string Sign(byte[] body, string secret) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    [Fact]
    public void The_subscription_check_echoes_the_challenge_only_for_the_verify_token()
    {
        Assert.Equal("1158201444", FacebookWebhook.Challenge("subscribe", "meatloaf", "1158201444", "meatloaf"));
        Assert.Null(FacebookWebhook.Challenge("subscribe", "wrong", "1158201444", "meatloaf"));
        Assert.Null(FacebookWebhook.Challenge("unsubscribe", "meatloaf", "1158201444", "meatloaf"));
        Assert.Null(FacebookWebhook.Challenge("subscribe", "", "1158201444", ""));
    }

    [Fact]
    public void Only_the_signature_of_the_exact_body_under_the_app_secret_is_accepted()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"page","entry":[]}""");
        Assert.True(FacebookWebhook.SignatureValid(Sign(body, AppSecret), body, AppSecret));
        Assert.True(FacebookWebhook.SignatureValid(Sign(body, AppSecret).ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), body, AppSecret));
        Assert.False(FacebookWebhook.SignatureValid(Sign(body, "another secret"), body, AppSecret));
        Assert.False(FacebookWebhook.SignatureValid(Sign(body, AppSecret), Encoding.UTF8.GetBytes("""{"object":"page","entry":[] }"""), AppSecret));
        Assert.False(FacebookWebhook.SignatureValid("sha1=" + new string('0', 40), body, AppSecret));
        Assert.False(FacebookWebhook.SignatureValid("sha256=" + new string('z', 64), body, AppSecret));
        Assert.False(FacebookWebhook.SignatureValid(null, body, AppSecret));
        Assert.False(FacebookWebhook.SignatureValid(Sign(body, ""), body, ""));
    }

    [Fact]
    public void Added_and_edited_posts_and_comments_are_read_from_the_changes_and_the_rest_left_out()
    {
        var body = Encoding.UTF8.GetBytes($$$"""
            {"object":"page","entry":[{"id":"{{{FacebookStandIn.PageId}}}","time":1733400000,"changes":[
              {"field":"feed","value":{"from":{"id":"24","name":"Dana Parent"},"item":"comment","comment_id":"555_901","post_id":"{{{FacebookStandIn.PageId}}}_555","parent_id":"{{{FacebookStandIn.PageId}}}_555","verb":"add","created_time":1733400000,"message":"Is the clinic open on Sunday?"}},
              {"field":"feed","value":{"from":{"id":"{{{FacebookStandIn.PageId}}}","name":"Northfield Health"},"item":"status","post_id":"{{{FacebookStandIn.PageId}}}_556","verb":"add","created_time":1733400060,"message":"Flu shots all week."}},
              {"field":"feed","value":{"from":{"id":"24","name":"Dana Parent"},"item":"reaction","post_id":"{{{FacebookStandIn.PageId}}}_556","verb":"add","reaction_type":"like","created_time":1733400070}},
              {"field":"feed","value":{"from":{"id":"24","name":"Dana Parent"},"item":"comment","comment_id":"555_902","post_id":"{{{FacebookStandIn.PageId}}}_555","verb":"remove","created_time":1733400080}},
              {"field":"mention","value":{"post_id":"1_2","verb":"add"}}
            ]}]}
            """);

        var changes = FacebookWebhook.Parse(body);

        Assert.Equal(["555_901", $"{FacebookStandIn.PageId}_556"], changes.Select(c => c.Post.Id));
        Assert.All(changes, c => Assert.Equal(FacebookStandIn.PageId, c.PageId));
        var comment = changes[0].Post;
        Assert.Equal(("24", "Dana Parent", "Is the clinic open on Sunday?"), (comment.AuthorId, comment.AuthorHandle, comment.Text));
        Assert.Equal(($"{FacebookStandIn.PageId}_555", $"{FacebookStandIn.PageId}_555"), (comment.Reply!.Parent.Id, comment.Reply.Root.Id));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1733400000), comment.PostedAt);
        Assert.Null(changes[1].Post.Reply);
        Assert.Empty(FacebookWebhook.Parse(Encoding.UTF8.GetBytes("not json")));
        Assert.Empty(FacebookWebhook.Parse(Encoding.UTF8.GetBytes("""{"object":"instagram","entry":[]}""")));
    }

    [Fact]
    public async Task Polling_reads_the_pages_posts_and_the_comments_and_visitor_posts_addressed_to_it_since_the_cursor()
    {
        var now = DateTimeOffset.UtcNow;
        var own = graph.Seed("Flu shots all week at the Eastside campus.", now.AddHours(-3));
        var visitor = graph.VisitorPost("24", "Dana Parent", "Thank you to the night nurses!", now.AddHours(-2));
        var question = graph.AddComment(own, "24", "Dana Parent", "Is it open on Sunday?", now.AddHours(-1));
        var answer = graph.AddComment(own, FacebookStandIn.PageId, "Northfield Health", "Yes, 9 to 1.", now.AddMinutes(-50), replyTo: question);

        var posts = await Source().ReadAsync("northfieldhealth", SourceKind.Posts, null);
        Assert.Equal([own.Id], posts.Posts.Select(p => p.Id));
        Assert.Equal(FacebookStandIn.PageId, posts.AccountId);

        var addressed = await Source().ReadAsync("northfieldhealth", SourceKind.Addressed, null);
        Assert.Equal(new[] { visitor.Id, question.Id, answer.Id }.Order(), addressed.Posts.Select(p => p.Id).Order());
        var reply = addressed.Posts.Single(p => p.Id == answer.Id);
        Assert.Equal((question.Id, own.Id, FacebookStandIn.PageId), (reply.Reply!.Parent.Id, reply.Reply.Root.Id, reply.AuthorId));
        Assert.Equal(own.Id, addressed.Posts.Single(p => p.Id == question.Id).Reply!.Parent.Id);
        Assert.Contains(graph.Requests, r => r == $"GET /{FacebookConnector.GraphVersion}/{own.Id}/comments");

        // The next read asks from a minute before the newest seen and finds only what came after.
        var later = graph.AddComment(own, "25", "Sam Visitor", "And Saturday?", now);
        var next = await Source().ReadAsync("northfieldhealth", SourceKind.Addressed, addressed.Cursor);
        Assert.Equal([later.Id], next.Posts.Select(p => p.Id).Except(addressed.Posts.Select(p => p.Id)));
        Assert.Equal(now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), next.Cursor);

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Source("expired").ReadAsync("northfieldhealth", SourceKind.Posts, null))).Kind);
        graph.Inject(Fault.RateLimited, "GET", $"/{FacebookConnector.GraphVersion}/{FacebookStandIn.PageId}/feed");
        Assert.Equal(FailureKind.RateLimited, (await Assert.ThrowsAsync<NetworkException>(() => Source().ReadAsync("northfieldhealth", SourceKind.Posts, null))).Kind);
    }
}
