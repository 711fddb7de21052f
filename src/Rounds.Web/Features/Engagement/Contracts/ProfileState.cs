namespace Rounds.Web.Features.Engagement.Contracts;

/// <summary>How Rounds knows whether a physician has a profile on a network (docs/decisions/0025).</summary>
public enum ProfileState
{
    /// <summary>Nobody has checked, or the network cannot be checked.</summary>
    Unknown,

    /// <summary>Found automatically, with evidence and a confidence; not a fact until confirmed.</summary>
    Suggested,

    /// <summary>Claimed by the physician while signed in, or verified by an admin with a note.</summary>
    Confirmed,

    /// <summary>Confirmed absent: the physician or an admin said there is no profile.</summary>
    None,
}
