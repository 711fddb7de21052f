using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>Shortcut to the shared common-word list for detectors that only need it.</summary>
internal static class NameDataWords
{
    public static Data.NameData Data => Rounds.Screening.Data.NameData.Shared;

    public static WordSet Common => Data.CommonWords;
}
