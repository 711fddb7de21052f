using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Identity;

public sealed class User : IdentityUser
{
    [PersonalData]
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// The 30-second step of the last authenticator code accepted; a code of this step or an earlier one is refused,
    /// so that each code works once.
    /// </summary>
    public long? LastAuthenticatorStep { get; set; }

    /// <summary>The IANA zone the person reads and types times in; null follows the organization they are in.</summary>
    public string? TimeZone { get; set; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.TimeZone).HasMaxLength(64);
    }
}
