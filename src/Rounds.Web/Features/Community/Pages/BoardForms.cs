namespace Rounds.Web.Features.Community.Pages;

public sealed class CategoryForm
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? ReadRole { get; set; } = "member";

    public string? PostRole { get; set; } = "member";
}

public sealed class WatchedWordForm
{
    public string? Phrase { get; set; }

    public string? Action { get; set; } = "block";

    public string? Replacement { get; set; }
}

public sealed class TopicForm
{
    public string? Title { get; set; }

    public string? Body { get; set; }

    /// <summary>Separated by commas or spaces.</summary>
    public string? Tags { get; set; }
}

public sealed class TagsForm
{
    /// <summary>Separated by commas or spaces.</summary>
    public string? Tags { get; set; }
}

public sealed class ReplyForm
{
    public string? Body { get; set; }

    public int? ReplyTo { get; set; }
}

public sealed class PostEditForm
{
    public Guid PostId { get; set; }

    public string? Body { get; set; }
}

public sealed class FlagForm
{
    public Guid PostId { get; set; }

    public string? Reason { get; set; }

    public string? Note { get; set; }
}

public sealed class WatchForm
{
    public string? Level { get; set; }
}

public sealed class GroupForm
{
    public Guid GroupId { get; set; }

    public string? Handle { get; set; }

    public string? Name { get; set; }

    public bool Mentionable { get; set; }

    /// <summary>Handles separated by commas or spaces.</summary>
    public string? Members { get; set; }
}
