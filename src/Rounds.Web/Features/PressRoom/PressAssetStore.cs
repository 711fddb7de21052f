using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// Where finished press assets are kept. Uploads are staged on the local disk first (a chunked upload must be
/// resumable, and a file is checked for size and type before anything keeps it); only a checked file is handed to
/// the store. Reading back goes through Rounds, never straight to the store, so every download is checked against
/// the embargo and recorded.
/// </summary>
public interface IPressAssetStore
{
    /// <summary>Keeps the staged file under <paramref name="name"/>; the staged file is gone afterwards.</summary>
    Task SaveAsync(string name, string stagedFile, string contentType, CancellationToken cancellationToken);

    /// <summary>The stored file's local path, when the store is the local disk (so downloads can resume by range).</summary>
    string? LocalPath(string name);

    /// <summary>The stored file's contents, or null when the store has no such file.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken);
}

/// <summary>The default store: a folder on the server's disk (<c>PressRoom:AssetPath</c>).</summary>
public sealed class FilePressAssetStore(string folder) : IPressAssetStore
{
    public Task SaveAsync(string name, string stagedFile, string contentType, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        File.Move(stagedFile, Path.Combine(folder, name));
        return Task.CompletedTask;
    }

    public string? LocalPath(string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : null;
    }

    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = LocalPath(name);
        return Task.FromResult<Stream?>(path is null ? null : File.OpenRead(path));
    }
}

/// <summary>
/// An S3-compatible object store (AWS S3, MinIO, Ceph, R2 …), chosen with <c>PressRoom:Storage = s3</c>. Objects
/// are private: Rounds reads them with its own key and streams them to readers it has checked.
/// </summary>
public sealed class S3PressAssetStore(IAmazonS3 client, string bucket, string prefix) : IPressAssetStore
{
    public async Task SaveAsync(string name, string stagedFile, string contentType, CancellationToken cancellationToken)
    {
        // A signed payload hash instead of aws-chunked framing: some S3-compatible servers keep the framing as the
        // object's bytes. The file is on local disk, so hashing it first costs one more read.
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = prefix + name, FilePath = stagedFile, ContentType = contentType, UseChunkEncoding = false }, cancellationToken);
        File.Delete(stagedFile);
    }

    public string? LocalPath(string name) => null;

    public async Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetObjectAsync(bucket, prefix + name, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The store the configuration names, or why it cannot be made (said at start, not at the first upload).</summary>
    public static IPressAssetStore FromConfiguration(IConfiguration configuration, string folder)
    {
        var kind = configuration["PressRoom:Storage"] ?? "file";
        if (kind.Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            return new FilePressAssetStore(folder);
        }

        if (!kind.Equals("s3", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"PressRoom:Storage is '{kind}'; use 'file' (the default) or 's3'.");
        }

        var s3 = configuration.GetSection("PressRoom:S3");
        var missing = new[] { "ServiceUrl", "Bucket", "AccessKey", "SecretKey" }.Where(k => string.IsNullOrWhiteSpace(s3[k])).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"PressRoom:Storage is 's3' but {string.Join(", ", missing.Select(m => "PressRoom:S3:" + m))} is not set.");
        }

        if (!Uri.TryCreate(s3["ServiceUrl"], UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new InvalidOperationException("PressRoom:S3:ServiceUrl must be an absolute http(s) address of the S3 endpoint.");
        }

        var config = new AmazonS3Config
        {
            ServiceURL = url.ToString(),
            AuthenticationRegion = s3["Region"] ?? "us-east-1",
            // Most S3-compatible servers address buckets by path; virtual-host addressing needs DNS for each bucket.
            ForcePathStyle = s3.GetValue("ForcePathStyle", true),
            // Checksums only where the API requires them: several S3-compatible servers refuse the trailing checksums
            // the SDK would otherwise add to every upload.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var client = new AmazonS3Client(new BasicAWSCredentials(s3["AccessKey"], s3["SecretKey"]), config);
        return new S3PressAssetStore(client, s3["Bucket"]!, s3["Prefix"] ?? "press-assets/");
    }
}
