namespace Rounds.Web.Features.Community.Pages;

public sealed class CategoryForm
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? ReadRole { get; set; } = "member";

    public string? PostRole { get; set; } = "member";

    public string? ReadAudience { get; set; } = "everyone";

    public string? ReadGroup { get; set; }

    public string? PostAudience { get; set; } = "everyone";

    public string? PostGroup { get; set; }

    public static CategoryForm From(CategoryRow row) => new()
    {
        Name = row.Category.Name, Description = row.Category.Description, ReadRole = Roles.Key(row.Category.ReadRole), PostRole = Roles.Key(row.Category.PostRole),
        ReadAudience = Categories.Key(row.Category.ReadAudience), ReadGroup = row.ReadGroup, PostAudience = Categories.Key(row.Category.PostAudience), PostGroup = row.PostGroup,
    };

    public AudienceInput ToAudience() => new(ReadRole, PostRole, ReadAudience, ReadGroup, PostAudience, PostGroup);
}

public sealed class WatchedWordForm
{
    public string? Phrase { get; set; }

    public string? Action { get; set; } = "block";

    public string? Replacement { get; set; }
}

public sealed class TopicForm
{
    /// <summary>Set by the Preview button: show the post as it would read, and save nothing.</summary>
    public bool Preview { get; set; }

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
    /// <summary>Set by the Preview button: show the post as it would read, and save nothing.</summary>
    public bool Preview { get; set; }

    public string? Body { get; set; }

    public int? ReplyTo { get; set; }
}

public sealed class PostEditForm
{
    /// <summary>Set by the Preview button: show the post as it would read, and save nothing.</summary>
    public bool Preview { get; set; }

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

public sealed class MoveForm
{
    public string? CategoryId { get; set; }
}

public sealed class MergeForm
{
    public string? IntoTopicId { get; set; }
}

public sealed class SplitForm
{
    /// <summary>Post numbers separated by commas or spaces, with ranges such as 7-9.</summary>
    public string? Posts { get; set; }

    public string? Title { get; set; }

    public string? CategoryId { get; set; }
}
