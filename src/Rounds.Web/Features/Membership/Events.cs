using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Membership;

public enum RegistrationStatus
{
    /// <summary>Holds a seat while its order waits for payment.</summary>
    AwaitingPayment = 0,
    Confirmed = 1,
    Waitlisted = 2,

    /// <summary>Offered a freed seat from the waiting list; the seat is held for it until the offer expires.</summary>
    Offered = 3,
    Cancelled = 4,

    /// <summary>An offer or an unpaid hold that ran out; the seat went back.</summary>
    Expired = 5,
}

/// <summary>
/// An event of the network: a residency, a webinar or a conference. Times are instants; the time zone is the
/// one the event is held in, for showing them as attendees there read them. <see cref="SeatsTaken"/> counts
/// every registration holding a seat and is only ever changed by a guarded update, so it cannot pass the capacity.
/// </summary>
public sealed class NetworkEvent : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    public ProductKind Kind { get; set; }

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    /// <summary>IANA name, e.g. <c>America/Chicago</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Shown to registrants only.</summary>
    public string Venue { get; set; } = "";

    /// <summary>Shown to registrants only.</summary>
    public string OnlineLink { get; set; } = "";

    public int Capacity { get; set; }

    public int SeatsTaken { get; set; }

    /// <summary>What cancelling returns, as JSON steps (<see cref="Membership.RefundRule"/>); empty refunds nothing.</summary>
    public string RefundRule { get; set; } = "[]";

    /// <summary>What registration asks, as JSON (<see cref="RegistrationQuestion"/>).</summary>
    public string Questions { get; set; } = "[]";

    /// <summary>The course of the network's Learning a confirmed seat gives (a residency's certificate course); none when null.</summary>
    public Guid? GrantsCourseId { get; set; }

    /// <summary>
    /// For a private residency, the member organization hosting it for its staff: only people with a confirmed
    /// address on a domain it has proven see it and may register; it is left out of the public catalogue and feed.
    /// </summary>
    public Guid? HostOrganizationId { get; set; }
}

/// <summary>A person's place at an event, or in its waiting list, with the ticket that checks them in once.</summary>
public sealed class Registration : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid EventId { get; set; }

    public string UserId { get; set; } = "";

    public string AttendeeName { get; set; } = "";

    public RegistrationStatus Status { get; set; }

    public Guid? OrderId { get; set; }

    /// <summary>The secret on the ticket's QR code.</summary>
    public string TicketCode { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a hold or an offer runs out.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? CheckedInAt { get; set; }

    /// <summary>The last <see cref="EventReminder"/> this registration was sent, moved only forward by a guarded update.</summary>
    public int RemindersSent { get; set; }

    /// <summary>The answers to the event's questions, by question key, as JSON.</summary>
    public string Answers { get; set; } = "{}";

    /// <summary>
    /// The bundle this seat was bought in, with the other seats of the same order and bundle; they were taken
    /// together and go back together.
    /// </summary>
    public Guid? BundleId { get; set; }

    /// <summary>
    /// The part of its bundle line's frozen total this seat stands for, split when it was bought (or, for seats
    /// bought before shares were kept, when one of them is first cancelled alone); the parts sum to the line's total.
    /// </summary>
    public decimal? BundleShare { get; set; }

    public static bool HoldsSeat(RegistrationStatus status) => status is RegistrationStatus.AwaitingPayment or RegistrationStatus.Confirmed or RegistrationStatus.Offered;
}

internal sealed class NetworkEventConfiguration : IEntityTypeConfiguration<NetworkEvent>
{
    public void Configure(EntityTypeBuilder<NetworkEvent> builder)
    {
        builder.ToTable("MembershipEvents", t => t.HasCheckConstraint("CK_MembershipEvents_Seats", "\"SeatsTaken\" >= 0 AND \"SeatsTaken\" <= \"Capacity\""));
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.Description).HasMaxLength(4000);
        builder.Property(e => e.TimeZone).HasMaxLength(64);
        builder.Property(e => e.Venue).HasMaxLength(500);
        builder.Property(e => e.OnlineLink).HasMaxLength(500);
        builder.Property(e => e.RefundRule).HasMaxLength(1000).HasDefaultValue("[]");
        builder.Property(e => e.Questions).HasDefaultValue("[]");
        builder.HasIndex(e => new { e.OrganizationId, e.StartsAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(e => e.HostOrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(e => e.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RegistrationConfiguration : IEntityTypeConfiguration<Registration>
{
    public void Configure(EntityTypeBuilder<Registration> builder)
    {
        builder.ToTable("MembershipRegistrations");
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.Property(r => r.AttendeeName).HasMaxLength(200);
        builder.Property(r => r.TicketCode).HasMaxLength(64);
        builder.Property(r => r.BundleShare).HasPrecision(12, 2);
        builder.Property(r => r.Answers).HasDefaultValue("{}");
        builder.HasIndex(r => r.TicketCode).IsUnique();
        builder.HasIndex(r => new { r.EventId, r.Status, r.CreatedAt });
        builder.HasIndex(r => new { r.OrganizationId, r.UserId });
        builder.HasIndex(r => new { r.OrderId, r.BundleId });
        builder.HasOne<NetworkEvent>().WithMany().HasForeignKey(r => r.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}
