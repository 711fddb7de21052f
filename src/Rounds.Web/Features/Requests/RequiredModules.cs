using Rounds.Web.Features.Accounts;

namespace Rounds.Web.Features.Requests;

/// <summary>
/// Which training modules the people who run an account must have passed. One place on purpose: it is
/// the rule an organization will later configure for itself.
/// </summary>
public static class RequiredModules
{
    public static IReadOnlyList<string> For(Platform platform)
    {
        var modules = new List<string> { "introduction", "professionalism" };
        if (PlatformModule(platform) is { } module)
        {
            modules.Add(module);
        }

        return modules;
    }

    /// <summary>The course module that teaches the platform; networks without their own module need only the basics.</summary>
    public static string? PlatformModule(Platform platform) => platform switch
    {
        Platform.X or Platform.Bluesky or Platform.Mastodon or Platform.Threads => "x",
        Platform.LinkedIn or Platform.Doximity => "linkedin",
        Platform.Facebook or Platform.Instagram => "facebook-instagram",
        Platform.YouTube or Platform.TikTok => "youtube",
        Platform.Other => null,
    };

    public static IReadOnlyList<string> AllKeys { get; } = ["introduction", "professionalism", "x", "linkedin", "facebook-instagram", "youtube", "measuring"];
}
