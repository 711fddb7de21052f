namespace Rounds.Web.Features.Shared;

/// <summary>How many of a group of approvers must agree: a committee, or a review step.</summary>
public enum Quorum
{
    /// <summary>One committee member's approval is enough.</summary>
    Any,

    /// <summary>Every committee member must approve.</summary>
    All,
}
