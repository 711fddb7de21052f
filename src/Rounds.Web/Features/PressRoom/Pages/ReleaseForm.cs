namespace Rounds.Web.Features.PressRoom.Pages;

/// <summary>The release fields as a form posts them.</summary>
public sealed class ReleaseForm
{
    public string? Title { get; set; }

    public string? Summary { get; set; }

    public string? Body { get; set; }

    public string? Contacts { get; set; }

    /// <summary>Comma-separated, as the team types them.</summary>
    public string? Topics { get; set; }

    public ReleaseInput ToInput() => new(Title, Summary, Body, Contacts, Topics ?? "");

    public static ReleaseForm From(PressRelease r) => new() { Title = r.Title, Summary = r.Summary, Body = r.Body, Contacts = r.Contacts, Topics = string.Join(", ", PressTopics.Split(r.Topics)) };
}

/// <summary>When a release lifts and for whom, as the schedule form posts it.</summary>
public sealed class ScheduleForm
{
    public string? LiftDate { get; set; }

    public string? LiftTime { get; set; }

    public string? LiftZone { get; set; } = "America/Chicago";

    public string? LiftOffset { get; set; }

    public string Audience { get; set; } = "all_accredited";

    /// <summary>Email addresses, one a line or separated by commas.</summary>
    public string? Readers { get; set; }

    public ScheduleInput ToInput() => new(LiftDate, LiftTime, LiftZone, LiftOffset, Audience,
        (Readers ?? "").Split(['\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
