using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Engagement;

/// <summary>
/// A health system's physician roster for <c>./rounds seed</c>: ten physicians per account, across the departments,
/// with valid NPIs and a few who have left. NPIs already on the roster are kept, so seeding twice adds no duplicates.
/// </summary>
internal sealed class SeedPhysicians(RoundsDbContext db) : ISeedData
{
    private static readonly string[] Departments =
    [
        "Cardiology", "Oncology", "Pediatrics", "Orthopedics", "Neurology", "Emergency medicine", "Women's health", "Primary care",
        "Behavioral health", "Sports medicine", "Transplant", "Radiology",
    ];

    private static readonly string[] Given = ["Elin", "Tendai", "Harriet", "Sam", "Priya", "Jonah", "Marisol", "Rosa", "Amara", "Kenji", "Lucía", "Omar", "Ingrid", "Ravi", "Chloé", "Dmitri"];

    private static readonly string[] Family = ["Sorensen", "Mbeki", "Osei", "Achterberg", "Nakamura", "Okafor", "Lindqvist", "García", "Haddad", "Kowalski", "Ferreira", "Nguyen", "Abernathy", "Castellano", "Whitcombe", "Ødegaard"];

    public int Order => 60;

    public async Task SeedAsync(SeedPlan plan, CancellationToken cancellationToken = default)
    {
        var wanted = plan.Accounts * 10;
        var taken = (await db.Set<Physician>().Where(p => p.OrganizationId == plan.OrganizationId).Select(p => p.Npi).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var random = new Random(plan.Seed + 6);
        var today = DateOnly.FromDateTime(plan.Now.UtcDateTime);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var physicians = new BulkInsert<Physician>(db, transaction.GetDbTransaction());
        for (var i = 1; i <= wanted; i++)
        {
            // A block of NPIs of its own (the demo roster uses 19870…), each with its check digit.
            var firstNine = "15550" + i.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
            var npi = firstNine + Npi.CheckDigit(firstNine);
            if (i > 9_999 || !taken.Add(npi))
            {
                continue;
            }

            var given = Given[random.Next(Given.Length)];
            var family = Family[random.Next(Family.Length)];
            var start = today.AddDays(-random.Next(30, 7_000));
            physicians.Add(new Physician
            {
                OrganizationId = plan.OrganizationId, Npi = npi, Name = $"{given} {family}", Credentials = i % 7 == 0 ? "DO" : "MD",
                Department = Departments[i % Departments.Length], Specialty = Departments[i % Departments.Length],
                Email = $"{given}.{family}.{i}@northfield.example".ToLowerInvariant(), StartDate = start,
                EndDate = random.Next(100) < 6 ? today.AddDays(-random.Next(1, 700)) : null, CreatedAt = plan.Now, UpdatedAt = plan.Now,
            });
        }

        await physicians.FlushAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
