using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;

namespace Rounds.Web.Features.Identity.Tokens;

public static class BearerTokenDefaults
{
    public const string Scheme = "PersonalAccessToken";
    public const string TokenIdClaim = "rounds:token";
    public const string OrganizationClaim = SignInClaims.TokenOrganization;
    public const string TokenPrefix = "rnd_";
}

public sealed record MintedToken(PersonalAccessToken Token, string Secret);

/// <summary>Mints, lists and revokes personal access tokens. Only a hash of each token is kept.</summary>
public sealed class AccessTokenService(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public static string Hash(string token) => SecretHash.Of(token);

    public async Task<MintedToken> CreateAsync(string userId, string name, Guid? organizationId, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        var secret = BearerTokenDefaults.TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new PersonalAccessToken
        {
            UserId = userId,
            Name = name.Trim(),
            Prefix = secret[..12],
            Hash = Hash(secret),
            OrganizationId = organizationId,
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        db.PersonalAccessTokens.Add(token);
        audit.Record(organizationId, "token.created", "PersonalAccessToken", token.Id.ToString(), after: new { token.Name, token.Prefix, userId, expiresAt });
        await db.SaveChangesAsync(cancellationToken);
        return new MintedToken(token, secret);
    }

    /// <summary>
    /// Mints a token for the caller. A token reaches no further than the token that mints it: one limited to an
    /// organization mints only tokens limited to the same organization, and one that expires mints only tokens that
    /// expire no later. A signed-in session mints any token.
    /// </summary>
    public async Task<Outcome<MintedToken>> MintForAsync(ClaimsPrincipal caller, string name, Guid? organizationId, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        var userId = caller.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (Guid.TryParse(caller.FindFirstValue(BearerTokenDefaults.TokenIdClaim), out var callerTokenId))
        {
            var own = await db.PersonalAccessTokens.AsNoTracking().Where(t => t.Id == callerTokenId && t.UserId == userId)
                .Select(t => new { t.OrganizationId, t.ExpiresAt }).SingleAsync(cancellationToken);
            if (own.OrganizationId is { } limit && organizationId != limit)
            {
                return Outcome.Forbidden("This token is limited to one organization; it can only create tokens limited to the same organization.");
            }

            if (own.ExpiresAt is { } end && (expiresAt is null || expiresAt > end))
            {
                return Outcome.Forbidden($"This token expires at {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC; it can only create tokens that expire no later (set expiresInDays).");
            }
        }

        return new Outcome<MintedToken>(Outcome.Success, await CreateAsync(userId, name, organizationId, expiresAt, cancellationToken));
    }

    public Task<List<PersonalAccessToken>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        db.PersonalAccessTokens.Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>Revokes one of the person's own tokens; false when there is no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, Guid tokenId, CancellationToken cancellationToken = default)
    {
        var token = await db.PersonalAccessTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellationToken);
        if (token is null)
        {
            return false;
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            audit.Record(token.OrganizationId, "token.revoked", "PersonalAccessToken", token.Id.ToString(), before: new { token.Name, token.Prefix });
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Revokes every token of the person that is not revoked yet, when whoever held the password may have made
    /// tokens that outlive it. Returns how many were revoked.
    /// </summary>
    public async Task<int> RevokeAllAsync(string userId, string reason, CancellationToken cancellationToken = default)
    {
        var open = await db.PersonalAccessTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var token in open)
        {
            token.RevokedAt = now;
            audit.Record(token.OrganizationId, "token.revoked", "PersonalAccessToken", token.Id.ToString(), before: new { token.Name, token.Prefix, reason });
        }

        await db.SaveChangesAsync(cancellationToken);
        return open.Count;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Authenticates <c>Authorization: Bearer rnd_…</c> against the stored token hashes.</summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    RoundsDbContext db,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(BearerTokenDefaults.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("The bearer token is not a Rounds personal access token.");
        }

        var hash = SecretHash.Of(secret);
        var now = clock.GetUtcNow();
        var found = await (
            from t in db.PersonalAccessTokens
            join u in db.Users on t.UserId equals u.Id
            where t.Hash == hash
            select new { Token = t, u.Email, u.UserName, u.DisplayName }).FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null || !found.Token.IsActive(now))
        {
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        }

        // Last use is informational; writing it at most once a minute keeps reads cheap.
        if (found.Token.LastUsedAt is null || now - found.Token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.PersonalAccessTokens.Where(t => t.Id == found.Token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, found.Token.UserId),
            new(ClaimTypes.Name, found.UserName ?? found.Email ?? ""),
            new(ClaimTypes.Email, found.Email ?? ""),
            new(BearerTokenDefaults.TokenIdClaim, found.Token.Id.ToString()),
        };
        if (found.Token.OrganizationId is { } org)
        {
            claims.Add(new(BearerTokenDefaults.OrganizationClaim, org.ToString()));
        }

        var identity = new ClaimsIdentity(claims, BearerTokenDefaults.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), BearerTokenDefaults.Scheme));
    }
}
