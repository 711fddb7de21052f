using Microsoft.AspNetCore.Identity;
using Rounds.Web.Features.Identity.Tokens;

namespace Rounds.Web.Features.Identity;

internal sealed class SignIns(UserManager<User> users, AccessTokenService tokens) : ISignIns
{
    public async Task<string> CreateConfirmedAsync(string email, string displayName, string password, CancellationToken cancellationToken = default)
    {
        var user = new User { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        var result = await users.CreateAsync(user, password);
        return result.Succeeded
            ? user.Id
            : throw new InvalidOperationException("Could not create " + email + ": " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    public async Task<string> MintTokenAsync(string userId, string name, Guid? organizationId, CancellationToken cancellationToken = default) =>
        (await tokens.CreateAsync(userId, name, organizationId, expiresAt: null, cancellationToken)).Secret;
}
