using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// A sender's public image addresses, for the networks that fetch images themselves: <c>/images/{name}</c> serves
/// what <see cref="Serve"/> put there, and anything else is 404.
/// </summary>
public sealed class PublicImageHost : StandIn
{
    private readonly Dictionary<string, (byte[] Content, string Type)> images = [];

    public Uri Serve(string name, byte[] content, string contentType)
    {
        lock (images)
        {
            images[name] = (content, contentType);
        }

        return new Uri(Url, "/images/" + name);
    }

    protected override IResult FaultAnswer(Fault fault) => Results.StatusCode(503);

    protected override void Map(WebApplication app) => app.MapGet("/images/{name}", (string name) =>
    {
        lock (images)
        {
            return images.TryGetValue(name, out var image) ? Results.Bytes(image.Content, image.Type) : Results.NotFound();
        }
    });
}
