using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Requests;

/// <summary>Northfield's invented account requests: waiting at different steps, and one sent to the main channels.</summary>
internal sealed class RequestsDemo(RoundsDbContext db, TimeProvider clock) : IDemoData
{
    public int Order => 20;

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        var organizationId = world.OrganizationId;
        var now = clock.GetUtcNow();
        var contributor = world.UserIds["contributor@northfield.example"];
        var sorensen = world.UserIds["dr.sorensen@northfield.example"];
        var mbeki = world.UserIds["dr.mbeki@northfield.example"];

        // The request that started the pediatrics account's trial (the accounts' demo data has the account).
        var kids = await db.AccountCards().FirstAsync(a => a.OrganizationId == organizationId && a.NormalizedHandle == "northfield_kids", cancellationToken);
        var kidsRequest = NewRequest(organizationId, contributor, RequestStatus.Approved, Platform.Instagram, "@northfield_kids", "Pediatrics", contributor, sorensen, now.AddDays(-110));
        kidsRequest.DecisionReasons = "Clear audience, trained owners and a staffed plan; start with a three-month trial.";
        kidsRequest.AccountId = kids.Id;
        db.Add(kidsRequest);
        db.Add(NewRequest(organizationId, mbeki, RequestStatus.Submitted, Platform.TikTok, "@northfield_pt", "Physical therapy", mbeki, contributor, now.AddDays(-3)));
        var dermatology = NewRequest(organizationId, contributor, RequestStatus.Requirements, Platform.Instagram, "@northfield_skin", "Dermatology", contributor, sorensen, now.AddDays(-20));
        dermatology.ConsultNotes = "Consult held: weekly sun-safety content is too much for the main channels in summer.";
        dermatology.OwnerAcceptedPolicy = true;
        db.Add(dermatology);
        var cafeteria = NewRequest(organizationId, contributor, RequestStatus.Redirected, Platform.X, "@NorthfieldCafe", "Nutrition services", contributor, mbeki, now.AddDays(-40));
        cafeteria.DecisionReasons = "Submit menus and healthy-eating tips to the main channels instead: one post a week does not need its own account.";
        db.Add(cafeteria);

        await db.SaveChangesAsync(cancellationToken);
    }

    private static AccountRequest NewRequest(Guid organizationId, string requester, RequestStatus status, Platform platform, string handle, string department, string owner, string backup, DateTimeOffset at) => new()
    {
        OrganizationId = organizationId,
        RequesterId = requester,
        Status = status,
        Platform = platform,
        ProposedHandle = handle,
        Kind = AccountKind.Department,
        Department = department,
        Justification = $"{department} has news every week that patients ask about.",
        Goals = "Answer common questions before visits; announce classes and events.",
        Audience = "Patients and families of the " + department.ToLowerInvariant() + " service.",
        PatientBenefit = "Patients arrive prepared and know where to ask.",
        OwnerId = owner,
        BackupId = backup,
        OwnerFte = 0.2m,
        ContentPlan = "Tips, event announcements and staff introductions, with consent for any patient story.",
        PostsPerWeek = 3,
        ResponseHours = 24,
        CreatedAt = at,
        UpdatedAt = at,
        SubmittedAt = status == RequestStatus.Draft ? null : at,
    };
}
