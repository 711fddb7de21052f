using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>One of a conference's parallel tracks ("Strategy", "Clinical voices", "Measurement").</summary>
public sealed class EventTrack : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid EventId { get; set; }

    public string Name
    {
        get => name;
        set
        {
            name = value;
            NameKey = KeyOf(value);
        }
    }

    /// <summary>The name as the unique index compares it, whatever its case: two tracks are never "Strategy" and "strategy".</summary>
    public string NameKey { get; private set; } = "";

    public int Position { get; set; }

    private string name = "";

    public static string KeyOf(string name) => name.ToUpperInvariant();
}

/// <summary>
/// A session of a conference's programme: in a track, or for everyone (a keynote) when it has none. A session
/// with a capacity of its own is chosen by registrants, and its <see cref="SeatsTaken"/> moves only by the same
/// guarded update as an event's seats, so it is never oversold.
/// </summary>
public sealed class EventSession : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid EventId { get; set; }

    public Guid? TrackId { get; set; }

    public string Title { get; set; } = "";

    public string Speaker { get; set; } = "";

    public string Room { get; set; } = "";

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    /// <summary>Null for a session open to every registrant without choosing it.</summary>
    public int? Capacity { get; set; }

    public int SeatsTaken { get; set; }
}

/// <summary>A registrant's place in a session they chose; one per registration and session.</summary>
public sealed class SessionSeat : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid SessionId { get; set; }

    public Guid RegistrationId { get; set; }

    public DateTimeOffset TakenAt { get; set; }
}

internal sealed class EventTrackConfiguration : IEntityTypeConfiguration<EventTrack>
{
    public void Configure(EntityTypeBuilder<EventTrack> builder)
    {
        builder.ToTable("MembershipEventTracks");
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.NameKey).HasMaxLength(100);
        builder.HasIndex(t => new { t.EventId, t.NameKey }).IsUnique();
        builder.HasOne<NetworkEvent>().WithMany().HasForeignKey(t => t.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EventSessionConfiguration : IEntityTypeConfiguration<EventSession>
{
    public void Configure(EntityTypeBuilder<EventSession> builder)
    {
        builder.ToTable("MembershipEventSessions", t => t.HasCheckConstraint("CK_MembershipEventSessions_Seats", "\"SeatsTaken\" >= 0 AND (\"Capacity\" IS NULL OR \"SeatsTaken\" <= \"Capacity\")"));
        builder.Property(s => s.Title).HasMaxLength(200);
        builder.Property(s => s.Speaker).HasMaxLength(200);
        builder.Property(s => s.Room).HasMaxLength(100);
        builder.HasIndex(s => new { s.EventId, s.StartsAt });
        builder.HasOne<NetworkEvent>().WithMany().HasForeignKey(s => s.EventId).OnDelete(DeleteBehavior.Cascade);
        // A track is removed only when empty, but on PostgreSQL a session moved into it at that moment escapes the
        // check; it then loses its track rather than being deleted with it and its chosen seats.
        builder.HasOne<EventTrack>().WithMany().HasForeignKey(s => s.TrackId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class SessionSeatConfiguration : IEntityTypeConfiguration<SessionSeat>
{
    public void Configure(EntityTypeBuilder<SessionSeat> builder)
    {
        builder.ToTable("MembershipSessionSeats");
        builder.HasIndex(s => new { s.SessionId, s.RegistrationId }).IsUnique();
        builder.HasIndex(s => s.RegistrationId);
        builder.HasOne<EventSession>().WithMany().HasForeignKey(s => s.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Registration>().WithMany().HasForeignKey(s => s.RegistrationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record TrackInput(string? Name);

/// <param name="Track">The track's name; left out, the session is for everyone (a keynote).</param>
/// <param name="Start">Local date and time where the event is held, <c>2027-03-04T09:00</c>.</param>
/// <param name="Capacity">Seats of its own, chosen by registrants; left out, every registrant may attend.</param>
public sealed record SessionInput(string? Title, string? Speaker, string? Track, string? Start, string? End, string? Room, int? Capacity);

public sealed record SessionChoiceInput(Guid? Session);

/// <summary>A session as the programme shows it: its times in the event's zone, its track and the seats left.</summary>
public sealed record ProgrammeSession(Guid Id, string Title, string Speaker, string? Track, string Room, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Day, string Time, int? Capacity, int? SeatsLeft, bool Chosen);

public sealed record ProgrammeView(Guid EventId, string Title, string When, string TimeZone, IReadOnlyList<string> Tracks, IReadOnlyList<ProgrammeSession> Sessions, Guid? RegistrationId);

/// <summary>
/// A conference's programme: its admins add tracks and sessions, anyone reads it, and a person with a confirmed
/// seat chooses the sessions that have seats of their own.
/// </summary>
public sealed class Programme(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public const int MaxTracks = 10;

    public async Task<Outcome<EventTrack>> AddTrackAsync(OrgContext org, Guid eventId, TrackInput input, CancellationToken cancellationToken = default)
    {
        var networkEvent = await ConferenceAsync(org, eventId, cancellationToken);
        if (!networkEvent.Succeeded)
        {
            return networkEvent.Status;
        }

        var tracks = await db.Set<EventTrack>().Where(t => t.EventId == eventId).Select(t => t.Name).ToListAsync(cancellationToken);
        var name = TrackName(input, tracks);
        if (!name.Succeeded)
        {
            return name.Status;
        }

        if (tracks.Count >= MaxTracks)
        {
            return Outcome.Invalid("Name", $"A conference has at most {MaxTracks} tracks.");
        }

        var track = new EventTrack { OrganizationId = org.Id, EventId = eventId, Name = name.Value!, Position = tracks.Count };
        db.Add(track);
        audit.Record(org.Id, "event.track_added", nameof(NetworkEvent), eventId.ToString(), after: new { name = name.Value });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same name in another case added at the same moment: the unique index on the name's key lets one through.
            db.ChangeTracker.Clear();
            return Outcome.Invalid("Name", "The conference has a track of this name already.");
        }

        return new Outcome<EventTrack>(Outcome.Success, track);
    }

    /// <summary>Renames a track; its sessions stay in it.</summary>
    public async Task<Outcome<EventTrack>> UpdateTrackAsync(OrgContext org, Guid eventId, Guid trackId, TrackInput input, CancellationToken cancellationToken = default)
    {
        var found = await ConferenceAsync(org, eventId, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Status;
        }

        var track = await db.Set<EventTrack>().FirstOrDefaultAsync(t => t.Id == trackId && t.EventId == eventId, cancellationToken);
        if (track is null)
        {
            return Outcome.NotFound;
        }

        var others = await db.Set<EventTrack>().Where(t => t.EventId == eventId && t.Id != trackId).Select(t => t.Name).ToListAsync(cancellationToken);
        var name = TrackName(input, others);
        if (!name.Succeeded)
        {
            return name.Status;
        }

        var before = track.Name;
        track.Name = name.Value!;
        audit.Record(org.Id, "event.track_changed", nameof(NetworkEvent), eventId.ToString(), before: new { name = before }, after: new { name = track.Name });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another track given the same name at the same moment: the unique index let that one through.
            db.ChangeTracker.Clear();
            return Outcome.Invalid("Name", "The conference has a track of this name already.");
        }

        return new Outcome<EventTrack>(Outcome.Success, track);
    }

    /// <summary>Removes a track that has no sessions left; its sessions are moved or removed first, so none goes unseen.</summary>
    public async Task<Outcome> DeleteTrackAsync(OrgContext org, Guid eventId, Guid trackId, CancellationToken cancellationToken = default)
    {
        var found = await ConferenceAsync(org, eventId, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Status;
        }

        var track = await db.Set<EventTrack>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == trackId && t.EventId == eventId, cancellationToken);
        if (track is null)
        {
            return Outcome.NotFound;
        }

        // Guarded in the delete itself. With one writer (SQLite) a session added at the same moment keeps the track; on
        // PostgreSQL one moved in at that moment may escape the check, and is then left without a track (set null), never deleted.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Set<EventTrack>().Where(t => t.Id == trackId && !db.Set<EventSession>().Any(s => s.TrackId == trackId)).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return Outcome.Refused($"The track \"{track.Name}\" has sessions: move them to another track or remove them first.");
        }

        // The edit and its audit entry commit together: neither is kept without the other.
        audit.Record(org.Id, "event.track_removed", nameof(NetworkEvent), eventId.ToString(), before: new { name = track.Name });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome<EventSession>> AddSessionAsync(OrgContext org, Guid eventId, SessionInput input, CancellationToken cancellationToken = default)
    {
        var found = await ConferenceAsync(org, eventId, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Status;
        }

        var read = await ReadSessionAsync(found.Value!, input, cancellationToken);
        if (!read.Succeeded)
        {
            return read.Status;
        }

        var session = read.Value!;
        session.OrganizationId = org.Id;
        db.Add(session);
        audit.Record(org.Id, "event.session_added", nameof(NetworkEvent), eventId.ToString(), after: new { session.Title, start = session.StartsAt, end = session.EndsAt, session.Capacity });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<EventSession>(Outcome.Success, session);
    }

    /// <summary>
    /// Changes a session, all of it at once. The seats people chose stay theirs: the new capacity is written by an
    /// update guarded on the seats taken, so it never falls below them however many are choosing at that moment,
    /// and a session people chose keeps seats of its own.
    /// </summary>
    public async Task<Outcome<EventSession>> UpdateSessionAsync(OrgContext org, Guid eventId, Guid sessionId, SessionInput input, CancellationToken cancellationToken = default)
    {
        var found = await ConferenceAsync(org, eventId, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Status;
        }

        var before = await db.Set<EventSession>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.EventId == eventId, cancellationToken);
        if (before is null)
        {
            return Outcome.NotFound;
        }

        var read = await ReadSessionAsync(found.Value!, input, cancellationToken);
        if (!read.Succeeded)
        {
            return read.Status;
        }

        var after = read.Value!;
        var capacity = after.Capacity;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (after.StartsAt != before.StartsAt || after.EndsAt != before.EndsAt)
        {
            // Those who chose this session chose it beside their other sessions; a new time that lands on one of
            // those would leave them holding two seats at once, so it is refused and the sessions it meets are named.
            var holders = db.Set<SessionSeat>().Where(seat => seat.SessionId == sessionId).Select(seat => seat.RegistrationId);
            var clashes = await (from seat in db.Set<SessionSeat>()
                                 join other in db.Set<EventSession>() on seat.SessionId equals other.Id
                                 where holders.Contains(seat.RegistrationId) && other.Id != sessionId
                                 select new { seat.RegistrationId, other.Title, other.StartsAt, other.EndsAt }).AsNoTracking().ToListAsync(cancellationToken);
            var overlapping = clashes.Where(c => c.StartsAt < after.EndsAt && after.StartsAt < c.EndsAt).ToList();
            if (overlapping.Count > 0)
            {
                var people = overlapping.Select(c => c.RegistrationId).Distinct().Count();
                var titles = string.Join(", ", overlapping.Select(c => $"\"{c.Title}\"").Distinct().Order(StringComparer.Ordinal));
                return Outcome.Invalid("Start", $"{people} {(people == 1 ? "registrant who chose this session has" : "registrants who chose this session have")} also chosen {titles}, which the new time overlaps. Keep the time, or move the other session first.");
            }
        }

        var updated = await db.Set<EventSession>()
            .Where(s => s.Id == sessionId && ((capacity == null && s.SeatsTaken == 0) || (capacity != null && s.SeatsTaken <= capacity)))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Title, after.Title).SetProperty(x => x.Speaker, after.Speaker).SetProperty(x => x.Room, after.Room).SetProperty(x => x.TrackId, after.TrackId)
                .SetProperty(x => x.StartsAt, after.StartsAt).SetProperty(x => x.EndsAt, after.EndsAt).SetProperty(x => x.Capacity, capacity), cancellationToken);
        if (updated == 0)
        {
            var taken = await db.Set<EventSession>().Where(s => s.Id == sessionId).Select(s => s.SeatsTaken).FirstOrDefaultAsync(cancellationToken);
            return Outcome.Invalid("Capacity", capacity is null
                ? $"{taken} {(taken == 1 ? "registrant has" : "registrants have")} chosen this session, so it keeps seats of its own; give it a capacity of at least {taken}."
                : $"{taken} {(taken == 1 ? "registrant has" : "registrants have")} chosen this session; its capacity cannot go below {taken}.");
        }

        audit.Record(org.Id, "event.session_changed", nameof(NetworkEvent), eventId.ToString(),
            before: new { before.Title, start = before.StartsAt, end = before.EndsAt, before.Capacity }, after: new { after.Title, start = after.StartsAt, end = after.EndsAt, after.Capacity });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<EventSession>(Outcome.Success, await db.Set<EventSession>().AsNoTracking().FirstAsync(s => s.Id == sessionId, cancellationToken));
    }

    /// <summary>
    /// Removes a session nobody has chosen. The delete is guarded on the session's own count of seats taken,
    /// which a choice raises before it records itself, so a session chosen at the same moment stays.
    /// </summary>
    public async Task<Outcome> DeleteSessionAsync(OrgContext org, Guid eventId, Guid sessionId, CancellationToken cancellationToken = default)
    {
        var found = await ConferenceAsync(org, eventId, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Status;
        }

        var session = await db.Set<EventSession>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.EventId == eventId, cancellationToken);
        if (session is null)
        {
            return Outcome.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Set<EventSession>()
            .Where(s => s.Id == sessionId && s.SeatsTaken == 0 && !db.Set<SessionSeat>().Any(seat => seat.SessionId == sessionId))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            var taken = await db.Set<SessionSeat>().CountAsync(seat => seat.SessionId == sessionId, cancellationToken);
            return Outcome.Refused($"{Math.Max(taken, 1)} {(taken == 1 ? "registrant has" : "registrants have")} chosen \"{session.Title}\": it cannot be removed while they hold seats in it. Change it instead, or ask them to choose another session.");
        }

        audit.Record(org.Id, "event.session_removed", nameof(NetworkEvent), eventId.ToString(), before: new { session.Title, start = session.StartsAt, end = session.EndsAt, session.Capacity });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>A track's name from the input, unique among <paramref name="others"/> whatever its case.</summary>
    private static Outcome<string> TrackName(TrackInput input, IReadOnlyList<string> others)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100 || name.Contains('\n', StringComparison.Ordinal) || TextRules.FirstRefused(name) is not null)
        {
            return Outcome.Invalid("Name", "Name the track in up to 100 characters on one line.");
        }

        return others.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? Outcome.Invalid("Name", "The conference has a track of this name already.")
            : new Outcome<string>(Outcome.Success, name);
    }

    /// <summary>A session of the conference from the input, checked whole; nothing is saved.</summary>
    private async Task<Outcome<EventSession>> ReadSessionAsync(NetworkEvent networkEvent, SessionInput input, CancellationToken cancellationToken)
    {
        var title = input.Title?.Trim() ?? "";
        if (title.Length is 0 or > 200 || title.Contains('\n', StringComparison.Ordinal) || TextRules.FirstRefused(title) is not null)
        {
            return Outcome.Invalid("Title", "Give the session a title of up to 200 characters on one line.");
        }

        var speaker = input.Speaker?.Trim() ?? "";
        var room = input.Room?.Trim() ?? "";
        if (speaker.Length > 200 || speaker.Contains('\n', StringComparison.Ordinal) || TextRules.FirstRefused(speaker) is not null)
        {
            return Outcome.Invalid("Speaker", "Name the speakers in up to 200 characters on one line.");
        }

        if (room.Length > 100 || room.Contains('\n', StringComparison.Ordinal) || TextRules.FirstRefused(room) is not null)
        {
            return Outcome.Invalid("Room", "Name the room in up to 100 characters on one line.");
        }

        Guid? trackId = null;
        if (input.Track?.Trim() is { Length: > 0 } trackName)
        {
            var tracks = await db.Set<EventTrack>().AsNoTracking().Where(t => t.EventId == networkEvent.Id).ToListAsync(cancellationToken);
            trackId = tracks.FirstOrDefault(t => string.Equals(t.Name, trackName, StringComparison.OrdinalIgnoreCase))?.Id;
            if (trackId is null)
            {
                return Outcome.Invalid("Track", tracks.Count == 0
                    ? "The conference has no tracks yet; add them first, or leave the track out for a session for everyone."
                    : "Choose one of the conference's tracks: " + string.Join(", ", tracks.OrderBy(t => t.Position).Select(t => t.Name)) + ".");
            }
        }

        var zone = FindZone(networkEvent.TimeZone);
        var start = LocalInstant(input.Start, zone);
        var end = LocalInstant(input.End, zone);
        if (start is null)
        {
            return Outcome.Invalid("Start", "Give the start as local date and time where the conference is held, such as 2027-03-04T09:00.");
        }

        if (end is null || end <= start)
        {
            return Outcome.Invalid("End", "Give the end as local date and time after the start, such as 2027-03-04T10:00.");
        }

        if (start < networkEvent.StartsAt || end > networkEvent.EndsAt)
        {
            return Outcome.Invalid("Start", $"A session falls within the conference: {EventEditor.Describe(networkEvent)}.");
        }

        if (input.Capacity is { } capacity && capacity is < 1 or > 100_000)
        {
            return Outcome.Invalid("Capacity", "A session's capacity is a number of seats between 1 and 100,000, or left out for a session open to every registrant.");
        }

        return new Outcome<EventSession>(Outcome.Success, new EventSession
        {
            OrganizationId = networkEvent.OrganizationId, EventId = networkEvent.Id, TrackId = trackId, Title = title, Speaker = speaker, Room = room, StartsAt = start.Value, EndsAt = end.Value, Capacity = input.Capacity,
        });
    }

    /// <summary>The programme of one of the seller's events, with what <paramref name="userId"/> chose; null when there is no such event.</summary>
    public async Task<ProgrammeView?> ViewAsync(Guid sellerId, Guid eventId, string? userId, CancellationToken cancellationToken = default)
    {
        // Only a conference has a programme; asking for another event's (a private residency's) tells nothing of it.
        var networkEvent = await db.Set<NetworkEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId && e.OrganizationId == sellerId && e.Kind == ProductKind.Conference, cancellationToken);
        if (networkEvent is null)
        {
            return null;
        }

        var tracks = await db.Set<EventTrack>().AsNoTracking().Where(t => t.EventId == eventId).OrderBy(t => t.Position).ToListAsync(cancellationToken);
        var sessions = (await db.Set<EventSession>().AsNoTracking().Where(s => s.EventId == eventId).ToListAsync(cancellationToken)).OrderBy(s => s.StartsAt).ThenBy(s => s.Title, StringComparer.Ordinal).ToList();
        var registration = userId is null ? null : await db.Set<Registration>().AsNoTracking()
            .Where(r => r.EventId == eventId && r.UserId == userId && r.Status == RegistrationStatus.Confirmed).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);
        var chosen = registration is null ? [] : await db.Set<SessionSeat>().Where(s => s.RegistrationId == registration).Select(s => s.SessionId).ToListAsync(cancellationToken);
        var zone = FindZone(networkEvent.TimeZone);
        return new ProgrammeView(eventId, networkEvent.Title, EventEditor.Describe(networkEvent), networkEvent.TimeZone, tracks.Select(t => t.Name).ToList(), sessions.Select(s =>
        {
            var start = TimeZoneInfo.ConvertTime(s.StartsAt, zone);
            var end = TimeZoneInfo.ConvertTime(s.EndsAt, zone);
            return new ProgrammeSession(s.Id, s.Title, s.Speaker, tracks.FirstOrDefault(t => t.Id == s.TrackId)?.Name, s.Room, s.StartsAt, s.EndsAt,
                start.ToString("dddd, MMMM d", CultureInfo.InvariantCulture), $"{start.ToString("h:mm tt", CultureInfo.InvariantCulture)} to {end.ToString("h:mm tt", CultureInfo.InvariantCulture)}",
                s.Capacity, s.Capacity - s.SeatsTaken, chosen.Contains(s.Id));
        }).ToList(), registration);
    }

    /// <summary>
    /// Takes a seat in a session for a confirmed registration. The seat is taken by an update guarded on the
    /// session's count, in the transaction that records the choice and holds the registration's row, so a full
    /// session refuses, a double click takes one seat and a cancellation at the same moment leaves none.
    /// </summary>
    public async Task<Outcome<SessionSeat>> ChooseAsync(Guid sellerId, string userId, Guid registrationId, Guid? sessionId, CancellationToken cancellationToken = default)
    {
        var registration = await db.Set<Registration>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == registrationId && r.OrganizationId == sellerId && r.UserId == userId, cancellationToken);
        if (registration is null)
        {
            return Outcome.NotFound;
        }

        var session = sessionId is { } id ? await db.Set<EventSession>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.EventId == registration.EventId, cancellationToken) : null;
        if (session is null)
        {
            return Outcome.Invalid("Session", "Choose a session of this event's programme.");
        }

        if (registration.Status != RegistrationStatus.Confirmed)
        {
            return Outcome.Refused("Sessions are chosen once your seat at the event is confirmed.");
        }

        if (session.Capacity is null)
        {
            return Outcome.Refused("This session is open to everyone registered; there is nothing to choose.");
        }

        if (session.StartsAt <= clock.GetUtcNow())
        {
            return Outcome.Refused("This session has started.");
        }

        var mine = await (from seat in db.Set<SessionSeat>()
                          join s in db.Set<EventSession>() on seat.SessionId equals s.Id
                          where seat.RegistrationId == registrationId
                          select s).AsNoTracking().ToListAsync(cancellationToken);
        if (mine.Any(s => s.Id == session.Id))
        {
            return Outcome.Refused("You have a seat in this session already.");
        }

        if (mine.FirstOrDefault(s => s.StartsAt < session.EndsAt && session.StartsAt < s.EndsAt) is { } clash)
        {
            return Outcome.Refused($"This session overlaps \"{clash.Title}\", which you chose; give that one up first.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The registration's row is where a choice and a cancellation of the same seat meet. A cancellation moves
        // the row before it gives back the session seats it finds; this guarded write takes the same row, so the
        // choice either waits for the cancellation and then finds the seat gone, or goes first and leaves a
        // session seat the cancellation then finds and gives back. A cancelled seat never keeps a session seat.
        var held = await db.Set<Registration>().Where(r => r.Id == registrationId && r.Status == RegistrationStatus.Confirmed)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, r => r.Status), cancellationToken);
        if (held == 0)
        {
            return Outcome.Refused("Sessions are chosen once your seat at the event is confirmed.");
        }

        var taken = await db.Set<EventSession>().Where(s => s.Id == session.Id && s.SeatsTaken < s.Capacity)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.SeatsTaken, x => x.SeatsTaken + 1), cancellationToken);
        if (taken == 0)
        {
            return Outcome.Refused("This session is full.");
        }

        var seatRow = new SessionSeat { OrganizationId = sellerId, SessionId = session.Id, RegistrationId = registrationId, TakenAt = clock.GetUtcNow() };
        db.Add(seatRow);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same choice made at the same moment (a double click): the unique index lets one through, and
            // rolling this one back gives its seat back.
            db.ChangeTracker.Clear();
            return Outcome.Refused("You have a seat in this session already.");
        }

        await transaction.CommitAsync(cancellationToken);
        return new Outcome<SessionSeat>(Outcome.Success, seatRow);
    }

    /// <summary>Gives a chosen session's seat back.</summary>
    public async Task<Outcome> GiveUpAsync(Guid sellerId, string userId, Guid registrationId, Guid sessionId, CancellationToken cancellationToken = default)
    {
        if (!await db.Set<Registration>().AnyAsync(r => r.Id == registrationId && r.OrganizationId == sellerId && r.UserId == userId, cancellationToken))
        {
            return Outcome.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await ReleaseAsync(registrationId, sessionId, cancellationToken) == 0)
        {
            return Outcome.NotFound;
        }

        await transaction.CommitAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Gives back every session seat of a registration whose event seat went back; inside the caller's transaction.</summary>
    internal static async Task ReleaseAllAsync(RoundsDbContext db, Guid registrationId, CancellationToken cancellationToken)
    {
        foreach (var sessionId in await db.Set<SessionSeat>().Where(s => s.RegistrationId == registrationId).Select(s => s.SessionId).ToListAsync(cancellationToken))
        {
            await ReleaseSeatAsync(db, registrationId, sessionId, cancellationToken);
        }
    }

    private Task<int> ReleaseAsync(Guid registrationId, Guid sessionId, CancellationToken cancellationToken) => ReleaseSeatAsync(db, registrationId, sessionId, cancellationToken);

    /// <summary>Only the call that deleted the choice gives its seat back, so two at once free one seat.</summary>
    private static async Task<int> ReleaseSeatAsync(RoundsDbContext db, Guid registrationId, Guid sessionId, CancellationToken cancellationToken)
    {
        var deleted = await db.Set<SessionSeat>().Where(s => s.RegistrationId == registrationId && s.SessionId == sessionId).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 1)
        {
            await db.Set<EventSession>().Where(s => s.Id == sessionId && s.SeatsTaken > 0).ExecuteUpdateAsync(s => s.SetProperty(x => x.SeatsTaken, x => x.SeatsTaken - 1), cancellationToken);
        }

        return deleted;
    }

    private async Task<Outcome<NetworkEvent>> ConferenceAsync(OrgContext org, Guid eventId, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only the network's admins change the programme.");
        }

        var networkEvent = await db.Set<NetworkEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId && e.OrganizationId == org.Id, cancellationToken);
        if (networkEvent is null)
        {
            return Outcome.NotFound;
        }

        return networkEvent.Kind == ProductKind.Conference
            ? new Outcome<NetworkEvent>(Outcome.Success, networkEvent)
            : Outcome.Refused("Only a conference has tracks and sessions.");
    }

    /// <summary>A local date and time in the zone as an instant; null when it is not one (unreadable, or skipped by the clocks going forward).</summary>
    private static DateTimeOffset? LocalInstant(string? text, TimeZoneInfo zone)
    {
        if (!DateTime.TryParseExact(text?.Trim(), "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) || zone.IsInvalidTime(local))
        {
            return null;
        }

        // An ambiguous local time (the clocks go back) is read as the first of its two instants, as for events.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
