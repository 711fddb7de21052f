using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// The moves a post may make through review, and who may make them. Delivery moves (published, failed,
/// expired, missed) belong to the publisher, never to a person.
/// </summary>
public static class PostLifecycle
{
    /// <summary>The author may change the text while the post is theirs to work on, and also in review or after approval: the edit then resets the approvals.</summary>
    public static bool IsEditable(PostStatus status) =>
        status is PostStatus.Draft or PostStatus.ChangesRequested or PostStatus.InReview or PostStatus.Approved;

    public static bool CanSubmit(PostStatus status) => status is PostStatus.Draft or PostStatus.ChangesRequested;

    public static bool IsReviewable(PostStatus status) => status == PostStatus.InReview;

    /// <summary>Statuses in which the post is finished and nothing more happens to it.</summary>
    public static bool IsFinal(PostStatus status) =>
        status is PostStatus.Rejected or PostStatus.Published or PostStatus.Failed or PostStatus.Expired or PostStatus.Missed;

    public static string Describe(PostStatus status) => status switch
    {
        PostStatus.Draft => "draft",
        PostStatus.InReview => "in review",
        PostStatus.ChangesRequested => "changes requested",
        PostStatus.Approved => "approved",
        PostStatus.Rejected => "rejected",
        PostStatus.Published => "published",
        PostStatus.Failed => "failed",
        PostStatus.Expired => "expired",
        PostStatus.Missed => "missed",
    };

    public static string Describe(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Waiting => "waiting",
        DeliveryStatus.Sending => "sending",
        DeliveryStatus.Published => "published",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.Expired => "expired",
        DeliveryStatus.Missed => "missed",
        DeliveryStatus.Cancelled => "cancelled",
        DeliveryStatus.WithOwner => "with its owner to post by hand",
    };
}
