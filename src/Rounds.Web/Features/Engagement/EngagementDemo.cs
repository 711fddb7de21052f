using Rounds.Web.Data;

namespace Rounds.Web.Features.Engagement;

/// <summary>A small physician roster for Northfield Health, with the two demo physicians who can sign in.</summary>
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

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var i = 0; i < People.Length; i++)
        {
            var person = People[i];
            db.Add(new Physician
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

        await db.SaveChangesAsync(cancellationToken);
    }
}
