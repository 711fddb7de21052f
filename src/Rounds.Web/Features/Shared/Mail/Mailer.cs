using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Rounds.Web.Features.Shared.Mail;

public sealed record OutgoingMail(string To, string Subject, string HtmlBody);

public interface IMailer
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

public sealed class MailOptions
{
    public string From { get; set; } = "Rounds <no-reply@rounds.local>";

    /// <summary>Folder of the development mailbox, used when no SMTP host is configured.</summary>
    public string MailboxPath { get; set; } = "data/mail";

    /// <summary>
    /// Whether instance operators may read that folder at <c>/dev/mail</c>. Off by default: the folder holds every
    /// password-reset and invitation link, so it is a demo and development tool only.
    /// </summary>
    public bool DevMailbox { get; set; }

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    public string? SmtpUser { get; set; }

    public string? SmtpPassword { get; set; }
}

internal sealed class SmtpMailer(IOptions<MailOptions> options) : IMailer
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new BodyBuilder { HtmlBody = mail.HtmlBody }.ToMessageBody();

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUser))
        {
            await client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}

/// <summary>A saved message of the development mailbox.</summary>
public sealed record StoredMail(string Id, string To, string Subject, string HtmlBody, DateTimeOffset SentAt);

/// <summary>
/// Writes mail to files so that confirmation and invitation links work on a machine with no mail server.
/// </summary>
public sealed class FileMailbox(IOptions<MailOptions> options, TimeProvider clock) : IMailer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Folder => Path.GetFullPath(options.Value.MailboxPath);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Folder);
        var now = clock.GetUtcNow();
        // Sortable names keep the newest message last without reading every file.
        var id = $"{now:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}";
        var stored = new StoredMail(id, mail.To, mail.Subject, mail.HtmlBody, now);
        await File.WriteAllTextAsync(Path.Combine(Folder, id + ".json"), JsonSerializer.Serialize(stored, Json), cancellationToken);
    }

    public IReadOnlyList<StoredMail> List(int max = 100)
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(Folder, "*.json")
            .OrderDescending(StringComparer.Ordinal)
            .Take(max)
            .Select(Read)
            .OfType<StoredMail>()
            .ToList();
    }

    public StoredMail? Find(string id)
    {
        // Ids are file names we generated; anything else could walk out of the folder.
        if (id.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            return null;
        }

        var path = Path.Combine(Folder, id + ".json");
        return File.Exists(path) ? Read(path) : null;
    }

    private static StoredMail? Read(string path) => JsonSerializer.Deserialize<StoredMail>(File.ReadAllText(path), Json);
}
