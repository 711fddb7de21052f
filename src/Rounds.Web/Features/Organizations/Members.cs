using System.Net;
using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Shared.Mail;
using Rounds.Web.Features.Identity.Tokens;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Organizations;

/// <summary>A member as the viewer may see them; <see cref="TwoFactorEnabled"/> is null unless the viewer is an admin.</summary>
public sealed record MemberView(Guid MembershipId, string UserId, string DisplayName, string Email, Role Role, MemberSource Source, bool? TwoFactorEnabled);

public sealed record InvitationView(Guid Id, string Email, Role Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>Invitations, roles and removal of the members of one organization. Callers are admins; each
/// method is given the admin's <see cref="OrgContext"/> so it cannot act outside that organization.</summary>
public sealed class Members(RoundsDbContext db, IAuditLog audit, IMailer mailer, PublicUrl publicUrl, TimeProvider clock)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(14);

    /// <summary>
    /// The organization's members. Whether someone uses two-factor sign-in tells an attacker whose account is the
    /// easier one to take, so only admins, who enforce the rule, are told.
    /// </summary>
    public Task<List<MemberView>> ListAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var admin = org.IsAtLeast(Role.Admin);
        return (from m in db.OrganizationMembers
                join u in db.People() on m.UserId equals u.Id
                where m.OrganizationId == org.Id
                orderby u.DisplayName, u.Email
                select new MemberView(m.Id, u.Id, u.DisplayName, u.Email ?? "", m.Role, m.Source, admin ? u.TwoFactorEnabled : null)).ToListAsync(cancellationToken);
    }

    public async Task<List<InvitationView>> OpenInvitationsAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return await db.Invitations
            .Where(i => i.OrganizationId == org.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.Email)
            .Select(i => new InvitationView(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Invites an address; the link in the mail is the only copy of the invitation's secret, so it points at the
    /// public address and never at whatever host the request named.
    /// </summary>
    public async Task<Outcome> InviteAsync(OrgContext org, string? email, Role role, CancellationToken cancellationToken = default)
    {
        email = email?.Trim() ?? "";
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            return Outcome.Invalid("Email", "Enter an email address such as name@example.org.");
        }

        var normalized = email.ToUpperInvariant();
        var alreadyMember = await (
            from m in db.OrganizationMembers
            join u in db.People() on m.UserId equals u.Id
            where m.OrganizationId == org.Id && u.NormalizedEmail == normalized
            select m.Id).AnyAsync(cancellationToken);
        if (alreadyMember)
        {
            return Outcome.Invalid("Email", $"{email} is already a member of {org.Organization.Name}.");
        }

        var now = clock.GetUtcNow();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var invitation = new Invitation
        {
            OrganizationId = org.Id,
            Email = email,
            Role = role,
            TokenHash = SecretHash.Of(secret),
            InvitedById = org.UserId,
            CreatedAt = now,
            ExpiresAt = now + InvitationLifetime,
        };
        db.Invitations.Add(invitation);
        audit.Record(org.Id, "invitation.created", "Invitation", invitation.Id.ToString(), after: new { email, role = Roles.Key(role) });
        var link = publicUrl.For($"invitations/{secret}");
        var mail = new OutgoingMail(email, $"You are invited to {org.Organization.Name} on Rounds",
            $"<p>You are invited to join <strong>{WebUtility.HtmlEncode(org.Organization.Name)}</strong> on Rounds as {Roles.Label(role)}.</p>" +
            $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">Accept the invitation</a> (valid for {InvitationLifetime.Days} days). Sign in or register with {WebUtility.HtmlEncode(email)} first.</p>");

        // Sent once the invitation is committed: a link that does not work yet, or never will, is never mailed.
        db.AfterCommit(token => mailer.SendAsync(mail, token));
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome> RevokeInvitationAsync(OrgContext org, Guid invitationId, CancellationToken cancellationToken = default)
    {
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.OrganizationId == org.Id, cancellationToken);
        if (invitation is null || !invitation.IsOpen(clock.GetUtcNow()))
        {
            return Outcome.NotFound;
        }

        invitation.RevokedAt = clock.GetUtcNow();
        audit.Record(org.Id, "invitation.revoked", "Invitation", invitation.Id.ToString(), before: new { invitation.Email, role = Roles.Key(invitation.Role) });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<(Invitation Invitation, Organization Organization)?> FindInvitationAsync(string secret, CancellationToken cancellationToken = default)
    {
        var hash = SecretHash.Of(secret);
        var row = await (
            from i in db.Invitations
            join o in db.Organizations on i.OrganizationId equals o.Id
            where i.TokenHash == hash
            select new { i, o }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.i, row.o);
    }

    /// <summary>Accepts an invitation for the signed-in person, whose verified address must be the invited one.</summary>
    public async Task<Outcome<Organization>> AcceptAsync(string secret, PersonCard user, CancellationToken cancellationToken = default)
    {
        var found = await FindInvitationAsync(secret, cancellationToken);
        if (found is not { } pair || !pair.Invitation.IsOpen(clock.GetUtcNow()))
        {
            return Outcome.Refused("This invitation is not valid: it may have expired, been used or been withdrawn.");
        }

        var (invitation, organization) = pair;
        if (!string.Equals(user.Email, invitation.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Refused($"This invitation is for {invitation.Email}; you are signed in as {user.Email}.");
        }

        if (!user.EmailConfirmed)
        {
            return Outcome.Refused("Confirm your email address first; the confirmation link is in your mailbox.");
        }

        var existing = await db.OrganizationMembers.FirstOrDefaultAsync(m => m.OrganizationId == organization.Id && m.UserId == user.Id, cancellationToken);
        if (existing is null)
        {
            existing = new OrganizationMember { OrganizationId = organization.Id, UserId = user.Id, Role = invitation.Role, Source = MemberSource.Invitation };
            db.OrganizationMembers.Add(existing);
        }
        else
        {
            // An invitation turns an automatic membership into a deliberate one, so the domain rule no longer removes it.
            existing.Role = invitation.Role > existing.Role ? invitation.Role : existing.Role;
            existing.Source = MemberSource.Invitation;
        }

        invitation.AcceptedAt = clock.GetUtcNow();
        audit.Record(organization.Id, "invitation.accepted", "OrganizationMember", existing.Id.ToString(), after: new { user.Id, user.Email, role = Roles.Key(existing.Role) });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<Organization>(Outcome.Success, organization);
    }

    public async Task<Outcome> ChangeRoleAsync(OrgContext org, Guid membershipId, Role role, CancellationToken cancellationToken = default)
    {
        var membership = await db.OrganizationMembers.FirstOrDefaultAsync(m => m.Id == membershipId && m.OrganizationId == org.Id, cancellationToken);
        if (membership is null)
        {
            return Outcome.NotFound;
        }

        if (membership.Role == role)
        {
            return Outcome.Success;
        }

        if (membership.Role == Role.Admin && await IsLastAdminAsync(org.Id, cancellationToken))
        {
            return Outcome.Refused("An organization needs at least one admin: make someone else admin first.");
        }

        var before = Roles.Key(membership.Role);
        membership.Role = role;
        membership.Source = membership.Source is MemberSource.Domain or MemberSource.CourseGrant ? MemberSource.Manual : membership.Source;
        audit.Record(org.Id, "membership.role_changed", "OrganizationMember", membership.Id.ToString(),
            before: new { membership.UserId, role = before }, after: new { membership.UserId, role = Roles.Key(role) });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome> RemoveAsync(OrgContext org, Guid membershipId, CancellationToken cancellationToken = default)
    {
        var membership = await db.OrganizationMembers.FirstOrDefaultAsync(m => m.Id == membershipId && m.OrganizationId == org.Id, cancellationToken);
        if (membership is null)
        {
            return Outcome.NotFound;
        }

        if (membership.Role == Role.Admin && await IsLastAdminAsync(org.Id, cancellationToken))
        {
            return Outcome.Refused("The last admin cannot be removed: make someone else admin first.");
        }

        db.OrganizationMembers.Remove(membership);
        audit.Record(org.Id, "membership.removed", "OrganizationMember", membership.Id.ToString(), before: new { membership.UserId, role = Roles.Key(membership.Role) });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    private async Task<bool> IsLastAdminAsync(Guid organizationId, CancellationToken cancellationToken) =>
        await db.OrganizationMembers.CountAsync(m => m.OrganizationId == organizationId && m.Role == Role.Admin, cancellationToken) <= 1;
}
