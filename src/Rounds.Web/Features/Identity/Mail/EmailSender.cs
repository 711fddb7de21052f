using System.Net;
using Microsoft.AspNetCore.Identity;
using Rounds.Web.Features.Shared.Mail;

namespace Rounds.Web.Features.Identity.Mail;

/// <summary>The messages that sign-in and registration send, in the product's words.</summary>
internal sealed class EmailSender(IMailer mailer) : IEmailSender<User>
{
    public Task SendConfirmationLinkAsync(User user, string email, string confirmationLink) =>
        mailer.SendAsync(new OutgoingMail(email, "Confirm your email for Rounds",
            $"<p>Hello {WebUtility.HtmlEncode(user.DisplayName)},</p><p>Please confirm your address for Rounds: <a href=\"{confirmationLink}\">confirm my email</a>.</p>"));

    public Task SendPasswordResetLinkAsync(User user, string email, string resetLink) =>
        mailer.SendAsync(new OutgoingMail(email, "Reset your Rounds password",
            $"<p>Someone asked to reset the password of your Rounds account. If it was you: <a href=\"{resetLink}\">choose a new password</a>. If not, ignore this message.</p>"));

    public Task SendPasswordResetCodeAsync(User user, string email, string resetCode) =>
        mailer.SendAsync(new OutgoingMail(email, "Your Rounds password reset code",
            $"<p>Your password reset code is <strong>{WebUtility.HtmlEncode(resetCode)}</strong>.</p>"));
}
