using System.Text;
using System.Xml;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// The Atom feed of an organization's public releases. It is built from the same query as the public list, so a
/// release appears in it at its lift and not a moment before; links are absolute, from the public address.
/// </summary>
public static class NewsroomFeed
{
    public static async Task<IResult> AtomAsync(string org, Newsroom newsroom, PublicUrl publicUrl, CancellationToken cancellationToken)
    {
        var organization = await newsroom.OrganizationAsync(org, cancellationToken);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }

        var releases = await newsroom.PublicAsync(organization.Id, 30, cancellationToken);
        var room = publicUrl.For($"press/{organization.Slug}");
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = true };
        await using var buffer = new MemoryStream();
        await using (var xml = XmlWriter.Create(buffer, settings))
        {
            const string Atom = "http://www.w3.org/2005/Atom";
            await xml.WriteStartDocumentAsync();
            xml.WriteStartElement("feed", Atom);
            xml.WriteElementString("title", Atom, $"{organization.Name} newsroom");
            xml.WriteElementString("id", Atom, room);
            xml.WriteElementString("updated", Atom, XmlConvert.ToString(releases.Select(Lifted).DefaultIfEmpty(organization.CreatedAt).Max().UtcDateTime, XmlDateTimeSerializationMode.Utc));
            Link(xml, room, "alternate");
            Link(xml, room + "/feed.atom", "self");
            foreach (var release in releases)
            {
                var address = $"{room}/releases/{release.Id}";
                xml.WriteStartElement("entry", Atom);
                xml.WriteElementString("title", Atom, release.Title);
                xml.WriteElementString("id", Atom, address);
                xml.WriteElementString("updated", Atom, XmlConvert.ToString(Lifted(release).UtcDateTime, XmlDateTimeSerializationMode.Utc));
                Link(xml, address, "alternate");
                xml.WriteElementString("summary", Atom, release.Summary.Length > 0 ? release.Summary : SafeMarkdown.ToPlainText(release.Body).Truncate(500));
                xml.WriteStartElement("author", Atom);
                xml.WriteElementString("name", Atom, organization.Name);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            await xml.WriteEndDocumentAsync();
        }

        return TypedResults.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");

        static void Link(XmlWriter xml, string href, string rel)
        {
            xml.WriteStartElement("link", "http://www.w3.org/2005/Atom");
            xml.WriteAttributeString("rel", rel);
            xml.WriteAttributeString("href", href);
            xml.WriteEndElement();
        }

        static DateTimeOffset Lifted(PressRelease r) => r.LiftAt ?? r.PublishedAt ?? r.UpdatedAt;
    }
}
