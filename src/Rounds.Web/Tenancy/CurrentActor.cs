using System.Security.Claims;

namespace Rounds.Web.Tenancy;

/// <summary>Who is acting: the signed-in person, or the command line.</summary>
public interface ICurrentActor
{
    string? UserId { get; }

    string Name { get; }
}

internal sealed class HttpCurrentActor(IHttpContextAccessor accessor) : ICurrentActor
{
    public string? UserId => accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);

    public string Name
    {
        get
        {
            var user = accessor.HttpContext?.User;
            return user?.FindFirstValue(ClaimTypes.Email) ?? user?.Identity?.Name ?? "system";
        }
    }
}
