using Microsoft.AspNetCore.Identity;

namespace Rounds.Web.Features.Identity;

public sealed class User : IdentityUser
{
    [PersonalData]
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
