using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement.Contracts;

namespace Rounds.Web.Features.Engagement;

/// <summary>
/// A small physician roster for Northfield Health, with the two demo physicians who can sign in, their profiles in
/// every state, and eight weeks of snapshots so that the dashboard has trends to show.
/// </summary>
public sealed class EngagementDemo(RoundsDbContext db, TimeProvider clock) : IDemoData
{
    public int Order => 60;

    internal static readonly (string Name, string Credentials, string Department, string Specialty, string Email, int MonthsAgo, int? LeftMonthsAgo)[] People =
    [
        ("Elin Sorensen", "MD, FACC", "Cardiology", "Interventional cardiology", "dr.sorensen@northfield.example", 60, null),
        ("Tendai Mbeki", "MD", "Orthopedics", "Sports medicine", "dr.mbeki@northfield.example", 40, null),
        ("Harriet Osei", "DO", "Cardiology", "Electrophysiology", "h.osei@northfield.example", 30, null),
        ("Samuel Achterberg", "MD, PhD", "Oncology", "Medical oncology", "s.achterberg@northfield.example", 90, null),
        ("Lucia Ferraro", "MD", "Pediatrics", "Neonatology", "l.ferraro@northfield.example", 20, null),
        ("Kwame Boateng", "MD", "Orthopedics", "Joint replacement", "k.boateng@northfield.example", 70, 3),
    ];

    /// <summary>A valid NPI for the n-th demo physician: nine digits of our choosing and the check digit they imply.</summary>
    internal static string DemoNpi(int n)
    {
        var firstNine = "19870" + n.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
        return firstNine + Npi.CheckDigit(firstNine);
    }

    /// <summary>Profiles by person: network, handle (empty for none), state, and the week (0–7) from which it was confirmed.</summary>
    private static readonly (int Person, Platform Network, string Handle, ProfileState State, int Since)[] Profiles =
    [
        (0, Platform.X, "@ElinSorensenMD", ProfileState.Confirmed, 7),
        (0, Platform.Bluesky, "@elinsorensen.bsky.social", ProfileState.Confirmed, 4),
        (0, Platform.Doximity, "elin-sorensen-md", ProfileState.Confirmed, 7),
        (1, Platform.X, "@DrTMbeki", ProfileState.Confirmed, 5),
        (1, Platform.Instagram, "", ProfileState.None, 7),
        (1, Platform.Bluesky, "@tmbeki.bsky.social", ProfileState.Suggested, 0),
        (2, Platform.LinkedIn, "harriet-osei-do", ProfileState.Confirmed, 2),
        (3, Platform.X, "@SamAchterbergMD", ProfileState.Confirmed, 7),
        (3, Platform.YouTube, "@AchterbergOncology", ProfileState.Confirmed, 3),
    ];

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var physicians = new List<Physician>();
        for (var i = 0; i < People.Length; i++)
        {
            var person = People[i];
            physicians.Add(new Physician
            {
                OrganizationId = world.OrganizationId,
                Npi = DemoNpi(i + 1),
                Name = person.Name,
                Credentials = person.Credentials,
                Department = person.Department,
                Specialty = person.Specialty,
                Email = person.Email,
                StartDate = today.AddMonths(-person.MonthsAgo),
                EndDate = person.LeftMonthsAgo is { } left ? today.AddMonths(-left) : null,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        db.AddRange(physicians);
        foreach (var (person, network, handle, state, _) in Profiles)
        {
            db.Add(new PhysicianProfile
            {
                OrganizationId = world.OrganizationId,
                PhysicianId = physicians[person].Id,
                Network = network,
                Handle = handle,
                NormalizedHandle = handle.Length == 0 ? "" : Handles.Normalize(network, handle),
                State = state,
                Note = state == ProfileState.Suggested ? "" : state == ProfileState.None ? "Claimed by the physician: no profile on this network." : "Verified by admin@northfield.example: bio names Northfield Health.",
                Evidence = state == ProfileState.Suggested ? "Display name and photo match the staff directory; bio mentions orthopedics." : "",
                Confidence = state == ProfileState.Suggested ? 65 : null,
                ChangedBy = "admin@northfield.example",
                ChangedAt = now.AddDays(-3),
            });
        }

        // Eight weeks of snapshots as a weekly run would have left them, the figures growing as profiles were confirmed.
        var thisWeek = EngagementSnapshot.WeekOf(now);
        for (var w = 7; w >= 0; w--)
        {
            var week = thisWeek.AddDays(-7 * w);
            var weekIndex = 7 - w;
            foreach (var (physician, index) in physicians.Select((p, i) => (p, i)))
            {
                if (physician.EndDate is { } end && end < week)
                {
                    continue;
                }

                foreach (var network in PhysicianProfiles.Networks)
                {
                    var profile = Profiles.FirstOrDefault(p => p.Person == index && p.Network == network);
                    var known = profile.Handle is not null && (profile.State != ProfileState.Confirmed || weekIndex >= 7 - profile.Since);
                    var state = known ? profile.State : ProfileState.Unknown;
                    var readable = state == ProfileState.Confirmed && network == Platform.Bluesky;
                    db.Add(new EngagementSnapshot
                    {
                        OrganizationId = world.OrganizationId,
                        PhysicianId = physician.Id,
                        Week = week,
                        Network = network,
                        Department = physician.Department,
                        State = state,
                        Exists = readable ? true : null,
                        LastPostAt = readable ? now.AddDays(-7 * w - 2) : null,
                        PostsIn30Days = readable ? 3 + weekIndex / 2 : null,
                        PostsIn90Days = readable ? 8 + weekIndex : null,
                        VideoPostsIn90Days = readable ? weekIndex / 3 : null,
                        MutualFollow = readable ? weekIndex >= 5 : null,
                        DisclaimerMissing = readable ? weekIndex < 6 : null,
                        TakenAt = now.AddDays(-7 * w),
                    });
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
