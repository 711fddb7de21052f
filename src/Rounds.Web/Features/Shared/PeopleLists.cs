namespace Rounds.Web.Features.Shared;

public static class PeopleLists
{
    /// <summary>
    /// The addresses in a list of people as spreadsheets and forms write them: separated by commas,
    /// semicolons or slashes, with spaces around.
    /// </summary>
    public static IEnumerable<string> Split(string people) =>
        people.Split([',', ';', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
