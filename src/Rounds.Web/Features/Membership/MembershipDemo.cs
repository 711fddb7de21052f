using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// The Harbor network's plans and events at the prices it publishes, and Northfield Health as an organization
/// member: everyone with a confirmed northfield.example address sees the residency at $596.25 and the webinars
/// at no charge.
/// </summary>
public sealed class MembershipDemo(RoundsDbContext db, ICourseGrants courses, TimeProvider clock) : IDemoData
{
    public int Order => 70;

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var seller = world.NetworkId;
        // Looked up before anything is added: finding it may install the shipped course, which saves.
        var certificate = (await courses.CoursesAsync(seller, cancellationToken)).FirstOrDefault(c => c.Key == ShippedCourse.Key);
        var included = new (ProductKind Kind, decimal Percent)[] { (ProductKind.Course, 100m), (ProductKind.Webinar, 100m) };
        var basic = Plan(seller, "basic", "Basic", PlanScope.Individual, 0m, 0, "Free membership: the network's newsletter and public board categories.", "Newsletter\nPublic board categories", []);
        var premium = Plan(seller, "premium", "Premium", PlanScope.Individual, 295m, 12, "For one person, for a year.", "Certificate course included\nMonthly webinars included\nMembers' board categories", included);
        var organization = Plan(seller, "organization", "Organization", PlanScope.Organization, 4500m, 12,
            "A flat annual rate that gives premium membership to everyone on the organization's proven email domains.",
            "Premium for everyone on your domain\n25% off the Social Media Residency\nHost a private residency for your staff", [.. included, (ProductKind.Residency, 25m)]);
        // Both open the board's premium members' categories; the free plan opens the members' ones.
        premium.Premium = true;
        organization.Premium = true;
        var course = new Product { OrganizationId = seller, Kind = ProductKind.Course, Name = "Social media certificate course", ListPrice = 250m };
        db.Add(course);

        var chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        DateTimeOffset At(int days, int hour) => new(now.Date.AddDays(days).AddHours(hour), chicago.GetUtcOffset(now.Date.AddDays(days).AddHours(hour)));
        Event(seller, ProductKind.Residency, "Social Media Residency", "One day, in person. Includes the certificate course.", At(30, 9), At(30, 17), 795m, 24, "Harbor Conference Center, 200 Pier Street, Chicago", "",
            """[{"daysBefore":14,"percent":100},{"daysBefore":7,"percent":50}]""").GrantsCourseId = certificate?.Id;
        Event(seller, ProductKind.Webinar, "Monthly webinar: measuring what matters", "An hour online with the network's analysts.", At(14, 12), At(14, 13), 95m, 500, "", "https://meet.example/harbor-webinar",
            """[{"daysBefore":1,"percent":100}]""");
        var conference = Event(seller, ProductKind.Conference, "Harbor annual conference", "Two days of keynotes and three tracks; the residency runs the day before.", At(90, 9), At(91, 17), 1295m, 300, "Harbor Conference Center, 200 Pier Street, Chicago", "",
            """[{"daysBefore":30,"percent":100},{"daysBefore":14,"percent":50}]""",
            """[{"key":"q1","label":"Which track will you follow?","kind":"Choice","required":true,"options":["Strategy","Clinical voices","Measurement"]},{"key":"q2","label":"Dietary needs","kind":"Text","required":false,"options":[]}]""");

        AddProgramme(seller, conference.Id, At(90, 9), ["Strategy", "Clinical voices", "Measurement"]);

        // The residency the day before the conference, sold with it as one bundle for less than the two apart.
        var eve = Event(seller, ProductKind.Residency, "Residency before the annual conference", "One day, in person, the day before the conference. Includes the certificate course.", At(89, 9), At(89, 17), 795m, 40,
            "Harbor Conference Center, 200 Pier Street, Chicago", "", """[{"daysBefore":30,"percent":100},{"daysBefore":14,"percent":50}]""");
        eve.GrantsCourseId = certificate?.Id;
        var bundleProduct = new Product { OrganizationId = seller, Kind = ProductKind.Bundle, Name = "Annual conference with the residency", ListPrice = 1795m };
        var bundle = new EventBundle
        {
            OrganizationId = seller, ProductId = bundleProduct.Id, Title = "Annual conference with the residency", Description = "The residency the day before and both conference days, at one price.",
        };
        bundle.Items.AddRange([new BundleItem { OrganizationId = seller, BundleId = bundle.Id, EventId = eve.Id }, new BundleItem { OrganizationId = seller, BundleId = bundle.Id, EventId = conference.Id }]);
        db.AddRange(bundleProduct, bundle);
        if (world.OrganizationId != seller)
        {
            // The member hospital hosts a residency of its own; only its staff see it.
            var staff = Event(seller, ProductKind.Residency, "Staff residency (private)", "One day at the member hospital, for its own staff. Includes the certificate course.", At(120, 9), At(120, 17), 795m, 30,
                "Education Center, Room 2", "", """[{"daysBefore":14,"percent":100}]""");
            staff.HostOrganizationId = world.OrganizationId;
            staff.GrantsCourseId = certificate?.Id;
        }

        db.Add(new Membership
        {
            OrganizationId = seller, PlanId = organization.Id, HolderOrganizationId = world.OrganizationId, StartsAt = now.AddMonths(-2), EndsAt = now.AddMonths(10),
        });
        db.Add(new FellowshipRound
        {
            OrganizationId = seller, Name = $"Fellows {now.Year + 1}", ClosesAt = now.Date.AddDays(60), ReviewsPerPlan = 2,
            Rubric = """[{"key":"goals","label":"Clarity of goals","weight":2},{"key":"feasibility","label":"Feasibility","weight":3},{"key":"measurement","label":"Measurement","weight":1}]""",
        });
        _ = basic;
        await db.SaveChangesAsync(cancellationToken);
    }

    private MembershipPlan Plan(Guid seller, string key, string name, PlanScope scope, decimal price, int months, string description, string benefits, IEnumerable<(ProductKind Kind, decimal Percent)> rules)
    {
        var product = new Product { OrganizationId = seller, Kind = ProductKind.Membership, Name = name + " membership", ListPrice = price };
        var plan = new MembershipPlan
        {
            OrganizationId = seller, ProductId = product.Id, Key = key, Name = name, Scope = scope, TermMonths = months, Description = description, Benefits = benefits,
            // Two weeks for a renewal to be approved and paid without the members losing anything.
            GraceDays = months > 0 ? 14 : 0,
        };
        plan.Rules.AddRange(rules.Select(r => new PlanRule { OrganizationId = seller, PlanId = plan.Id, ProductKind = r.Kind, PercentOff = r.Percent }));
        db.AddRange(product, plan);
        return plan;
    }

    /// <summary>A keynote for everyone each morning, then a session in each track with seats of its own.</summary>
    private void AddProgramme(Guid seller, Guid eventId, DateTimeOffset firstMorning, IReadOnlyList<string> trackNames)
    {
        var tracks = trackNames.Select((name, i) => new EventTrack { OrganizationId = seller, EventId = eventId, Name = name, Position = i }).ToList();
        db.AddRange(tracks);
        string[] speakers = ["Dr. Amara Osei", "Lena Park", "Dr. Tomás Rivera"];
        for (var day = 0; day < 2; day++)
        {
            var morning = firstMorning.AddDays(day).ToUniversalTime();
            db.Add(new EventSession { OrganizationId = seller, EventId = eventId, Title = day == 0 ? "Keynote: the hospital as a publisher" : "Keynote: a year of patient stories", Speaker = speakers[day], Room = "Main hall", StartsAt = morning, EndsAt = morning.AddHours(1) });
            foreach (var (track, i) in tracks.Select((t, i) => (t, i)))
            {
                db.Add(new EventSession
                {
                    OrganizationId = seller, EventId = eventId, TrackId = track.Id, Title = $"{track.Name}, part {day + 1}", Speaker = speakers[(i + day + 1) % speakers.Length],
                    Room = $"Room {i + 1}", StartsAt = morning.AddMinutes(90), EndsAt = morning.AddMinutes(180), Capacity = 60 - 15 * i,
                });
            }
        }
    }

    private NetworkEvent Event(Guid seller, ProductKind kind, string title, string description, DateTimeOffset starts, DateTimeOffset ends, decimal price, int capacity, string venue, string link, string refundRule, string questions = "[]")
    {
        var product = new Product { OrganizationId = seller, Kind = kind, Name = title, ListPrice = price };
        var networkEvent = new NetworkEvent
        {
            OrganizationId = seller, ProductId = product.Id, Kind = kind, Title = title, Description = description, StartsAt = starts.ToUniversalTime(), EndsAt = ends.ToUniversalTime(),
            TimeZone = "America/Chicago", Venue = venue, OnlineLink = link, Capacity = capacity, RefundRule = refundRule, Questions = questions,
        };
        db.AddRange(product, networkEvent);
        return networkEvent;
    }
}
