namespace Rounds.Web.Features.Accounts.Contracts;

public enum Platform
{
    X,
    Facebook,
    Instagram,
    LinkedIn,
    YouTube,
    TikTok,
    Bluesky,
    Mastodon,
    Threads,
    Doximity,
    Other,
}

public enum AccountKind
{
    Enterprise,
    Department,
    Program,
    IndividualProfessional,
    BrandedRole,
}

/// <summary>Where an account stands; only the Accounts area moves an account between them, by its lifecycle rules.</summary>
public enum AccountStatus
{
    Requested,
    Consult,
    Training,
    CommitteeReview,
    Trial,
    Active,
    Dormant,
    Retired,

    /// <summary>Found carrying the organization's name (usually in an audit) without ever being approved.</summary>
    Unregistered,
}
