namespace Rounds.Web.Features.Identity;

/// <summary>
/// Tells the areas that follow people's addresses (membership by email domain) that one was confirmed or
/// changed; the sign-in pages call it and know nothing of those areas.
/// </summary>
internal sealed class AddressChanges(IEnumerable<IEmailAddressListener> listeners)
{
    public async Task AnnounceAsync(User user, CancellationToken cancellationToken = default)
    {
        var person = new PersonCard
        {
            Id = user.Id,
            DisplayName = user.DisplayName,
            Email = user.Email,
            NormalizedEmail = user.NormalizedEmail,
            EmailConfirmed = user.EmailConfirmed,
            TwoFactorEnabled = user.TwoFactorEnabled,
        };
        foreach (var listener in listeners)
        {
            await listener.AddressConfirmedAsync(person, cancellationToken);
        }
    }
}
