using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Features.PressRoom;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.PressRoom;

/// <summary>
/// s3rver (npm), a server that speaks the S3 REST API with signature checks, started by
/// <c>tests/tooling/s3.mjs</c> on a free loopback port with one bucket.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Bucket = "rounds-press";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "rounds-s3-" + Guid.NewGuid().ToString("N"));
    private Process? process;

    public string Url { get; private set; } = "";

    /// <summary>A client of its own, to see what the store really holds.</summary>
    public AmazonS3Client Client() => new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async Task InitializeAsync()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.TestTooling, "node_modules", "s3rver")))
        {
            throw new InvalidOperationException($"s3rver is not installed in {RepoPaths.TestTooling}: run './rounds test' (it runs npm ci there).");
        }

        Directory.CreateDirectory(folder);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var info = new ProcessStartInfo("node", ["s3.mjs", port.ToString(CultureInfo.InvariantCulture), folder, Bucket])
        {
            WorkingDirectory = RepoPaths.TestTooling,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var errors = process.StandardError.ReadToEndAsync();
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready is null || !ready.Contains("\"ready\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"s3rver did not start: {ready} {await errors}");
        }

        Url = JsonDocument.Parse(ready).RootElement.GetProperty("url").GetString()!;
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process?.Dispose();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The press room with its assets in the S3-compatible store.</summary>
public sealed class S3PressRounds(string serviceUrl) : PressRounds(TestDatabase.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("PressRoom:Storage", "s3");
        builder.UseSetting("PressRoom:S3:ServiceUrl", serviceUrl);
        builder.UseSetting("PressRoom:S3:Bucket", S3Server.Bucket);
        builder.UseSetting("PressRoom:S3:AccessKey", "S3RVER");
        builder.UseSetting("PressRoom:S3:SecretKey", "S3RVER");
    }
}

public sealed class S3StoreTests(S3Server s3) : IClassFixture<S3Server>
{
    [Fact]
    public async Task Assets_uploaded_whole_or_in_chunks_are_kept_in_the_object_store_and_served_only_through_checked_links()
    {
        await using var app = new S3PressRounds(s3.Url);
        var cast = await app.CastAsync();
        var (id, _) = await app.EmbargoedReleaseAsync(cast, "Stored elsewhere", TimeSpan.FromHours(1));
        var photo = new byte[5000];
        Random.Shared.NextBytes(photo);
        new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }.CopyTo(photo, 0);
        Assert.Equal(HttpStatusCode.Created, (await app.UploadAsync(cast, id, "ward.png", "image/png", photo)).StatusCode);

        var team = await app.ApiClientAsync(cast.Admin);
        var uploads = $"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/uploads";
        var clip = new byte[3000];
        Random.Shared.NextBytes(clip);
        "\0\0\0\u0018ftypmp42"u8.ToArray().CopyTo(clip, 0);
        var upload = (await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync(uploads, new { fileName = "b-roll.mp4", contentType = "video/mp4", size = clip.Length }))).GetProperty("id").GetString()!;
        await HttpAssert.ReadAsync<JsonElement>(await team.PutAsync($"{uploads}/{upload}?offset=0", new ByteArrayContent(clip[..1200])));
        await HttpAssert.ReadAsync<JsonElement>(await team.PutAsync($"{uploads}/{upload}?offset=1200", new ByteArrayContent(clip[1200..])));
        Assert.Equal(HttpStatusCode.Created, (await team.PostAsync($"{uploads}/{upload}/finish", null)).StatusCode);

        // The store holds both files, private, under the asset's random name; the local disk keeps no finished file.
        using var client = s3.Client();
        var stored = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = "press-assets/" });
        Assert.Equal(2, stored.S3Objects?.Count);
        Assert.Equal([3000L, 5000L], stored.S3Objects!.Select(o => o.Size ?? 0).Order());
        var folder = app.Services.GetRequiredService<IConfiguration>()["PressRoom:AssetPath"]!;
        Assert.Empty(Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : []);

        // Read back through Rounds: the same bytes, as an attachment, for the team in its session; nothing for a stranger.
        var listed = await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/assets"));
        var teamPages = FormSession.Create(app);
        await teamPages.LoginAsync(cast.Admin.Email!);
        foreach (var asset in listed.EnumerateArray())
        {
            var response = await teamPages.Client.GetAsync(asset.GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal(asset.GetProperty("fileName").GetString() == "ward.png" ? photo : clip, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(asset.GetProperty("url").GetString())).StatusCode);
        }

        // An object gone from the store is a plain 404, not an error page.
        await client.DeleteObjectAsync(S3Server.Bucket, stored.S3Objects![0].Key);
        var gone = listed.EnumerateArray().Select(a => a.GetProperty("url").GetString()!).ToList();
        var statuses = new List<HttpStatusCode>();
        foreach (var url in gone)
        {
            statuses.Add((await teamPages.Client.GetAsync(url)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotFound], statuses.Order());
    }

    [Theory]
    [InlineData("disk", "use 'file' (the default) or 's3'")]
    [InlineData("s3", "PressRoom:S3:ServiceUrl, PressRoom:S3:Bucket, PressRoom:S3:AccessKey, PressRoom:S3:SecretKey is not set")]
    public void A_store_that_cannot_be_made_is_refused_at_start_with_what_to_set(string storage, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PressRoom:Storage"] = storage }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => S3PressAssetStore.FromConfiguration(configuration, Path.GetTempPath()));
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }
}
