using System.Text;
using System.Xml;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// The sitemap of an organization's newsroom: the newsroom page and its public releases, from the same query as
/// the public list, so search engines learn of a release at its lift and not before. Releases lifted in the last
/// two days also carry the news extension (title and publication date), as news search engines ask. It names the
/// newest <see cref="MaxReleases"/> releases: older ones stay reachable by following the newsroom's page links,
/// and a request costs the same however many releases the organization has issued.
/// </summary>
public static class NewsroomSitemap
{
    /// <summary>The newest releases a sitemap names, well under the protocol's 50,000 addresses a file.</summary>
    public const int MaxReleases = 1_000;

    private const string Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private const string News = "http://www.google.com/schemas/sitemap-news/0.9";

    public static async Task<IResult> XmlAsync(string org, Newsroom newsroom, PublicUrl publicUrl, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organization = await newsroom.OrganizationAsync(org, cancellationToken);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }

        var releases = await newsroom.PublicAsync(organization.Id, MaxReleases, cancellationToken);
        var room = publicUrl.For($"press/{organization.Slug}");
        var recent = clock.GetUtcNow().AddDays(-2);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = true };
        await using var buffer = new MemoryStream();
        await using (var xml = XmlWriter.Create(buffer, settings))
        {
            await xml.WriteStartDocumentAsync();
            xml.WriteStartElement("urlset", Sitemap);
            xml.WriteAttributeString("xmlns", "news", null, News);
            xml.WriteStartElement("url", Sitemap);
            xml.WriteElementString("loc", Sitemap, room);
            if (releases.Count > 0)
            {
                xml.WriteElementString("lastmod", Sitemap, Date(releases.Max(Lifted)));
            }

            xml.WriteEndElement();
            foreach (var release in releases)
            {
                xml.WriteStartElement("url", Sitemap);
                xml.WriteElementString("loc", Sitemap, $"{room}/releases/{release.Id}");
                xml.WriteElementString("lastmod", Sitemap, Date(Lifted(release)));
                if (Lifted(release) >= recent)
                {
                    xml.WriteStartElement("news", "news", News);
                    xml.WriteStartElement("news", "publication", News);
                    xml.WriteElementString("news", "name", News, $"{organization.Name} newsroom");
                    xml.WriteElementString("news", "language", News, "en");
                    xml.WriteEndElement();
                    xml.WriteElementString("news", "publication_date", News, Date(Lifted(release)));
                    xml.WriteElementString("news", "title", News, release.Title);
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            await xml.WriteEndDocumentAsync();
        }

        return TypedResults.Bytes(buffer.ToArray(), "application/xml; charset=utf-8");

        static DateTimeOffset Lifted(PressRelease r) => r.LiftAt ?? r.PublishedAt ?? r.UpdatedAt;

        static string Date(DateTimeOffset at) => XmlConvert.ToString(at.UtcDateTime, XmlDateTimeSerializationMode.Utc);
    }
}
