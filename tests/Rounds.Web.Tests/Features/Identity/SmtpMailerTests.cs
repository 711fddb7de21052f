using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Features.Shared.Mail;

namespace Rounds.Web.Tests.Features.Identity;

public sealed class SmtpMailerTests
{
    [Fact]
    public async Task Mail_goes_out_over_smtp_when_a_host_is_configured()
    {
        using var sink = new SmtpSink();
        var services = new ServiceCollection();
        services.Configure<MailOptions>(o =>
        {
            o.SmtpHost = "127.0.0.1";
            o.SmtpPort = sink.Port;
            o.From = "Rounds <rounds@northfield.example>";
        });
        services.AddSingleton<IMailer, SmtpMailer>();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IMailer>().SendAsync(new OutgoingMail("jordan@example.org", "Confirm your email for Rounds", "<p>Hello <a href=\"https://rounds.example/x\">here</a></p>"));

        var message = await sink.Received.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("RCPT TO:<jordan@example.org>", message.Envelope, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("MAIL FROM:<rounds@northfield.example>", message.Envelope, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Subject: Confirm your email for Rounds", message.Data, StringComparison.Ordinal);
        Assert.Contains("text/html", message.Data, StringComparison.Ordinal);
    }

    private sealed record SmtpMessage(string Envelope, string Data);

    /// <summary>
    /// The receiving half of SMTP (RFC 5321) for one message: enough of a server for a real client library to
    /// deliver to, with no mail server installed.
    /// </summary>
    private sealed class SmtpSink : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);

        public SmtpSink()
        {
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public TaskCompletionSource<SmtpMessage> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task ServeAsync()
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync();
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                var envelope = new StringBuilder();
                await writer.WriteLineAsync("220 sink ESMTP");
                while (await reader.ReadLineAsync() is { } line)
                {
                    envelope.AppendLine(line);
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await writer.WriteLineAsync("250-sink");
                            await writer.WriteLineAsync("250 8BITMIME");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                            var data = new StringBuilder();
                            while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                            {
                                data.AppendLine(dataLine);
                            }

                            await writer.WriteLineAsync("250 queued");
                            Received.TrySetResult(new SmtpMessage(envelope.ToString(), data.ToString()));
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 ok");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                Received.TrySetException(e);
            }
        }

        public void Dispose() => listener.Stop();
    }
}
