using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Identity.Tokens;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Data;

/// <summary>
/// The one database context of Rounds. Each provider has a subclass so that each keeps its own migrations
/// (see docs/decisions/0001-one-context-migrations-per-provider.md).
/// </summary>
public abstract class RoundsDbContext(DbContextOptions options) : IdentityDbContext<User>(options), IDataProtectionKeyContext
{
    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<OrganizationDomain> OrganizationDomains => Set<OrganizationDomain>();

    public DbSet<OrganizationMember> OrganizationMembers => Set<OrganizationMember>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    private readonly List<Func<CancellationToken, Task>> afterCommit = [];

    /// <summary>
    /// Queues work that must only happen once the change it belongs to is durable, such as mail about it: it
    /// runs after the next successful save outside a transaction, or when the open transaction commits, and
    /// is dropped if the save fails or the transaction rolls back. Use cases therefore save once and never
    /// remember to flush anything.
    /// </summary>
    public void AfterCommit(Func<CancellationToken, Task> work) => afterCommit.Add(work);

    internal async Task RunAfterCommitAsync(CancellationToken cancellationToken)
    {
        while (afterCommit.Count > 0)
        {
            var work = afterCommit.ToList();
            afterCommit.Clear();
            foreach (var item in work)
            {
                await item(cancellationToken);
            }
        }
    }

    internal void DropAfterCommit() => afterCommit.Clear();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => AddOnce(optionsBuilder, AfterCommitInterceptor.Instance);

    /// <summary>
    /// Adds an interceptor the options do not carry yet. The host builds its options once with every interceptor
    /// (<see cref="DatabaseSetup"/>); adding one here again would copy the options, and look up EF Core's services
    /// for them, for every unit of work. A context made by hand (the tools') gets its interceptors here.
    /// </summary>
    private protected static void AddOnce(DbContextOptionsBuilder optionsBuilder, Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor interceptor)
    {
        if (optionsBuilder.Options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.Interceptors?.Contains(interceptor) != true)
        {
            optionsBuilder.AddInterceptors(interceptor);
        }
    }

    /// <summary>
    /// The organization this unit of work acts in, once access to it was granted; null in background work and
    /// outside organizations (sign-in, a certificate's public check), which see every row.
    /// </summary>
    public Guid? TenantId { get; private set; }

    /// <summary>From now on, queries on organization-owned rows see only this organization's.</summary>
    public void ScopeTo(Guid organizationId) => TenantId = organizationId;

    /// <summary>
    /// A context from the pool, as a new one would be. EF Core resets its own state when a context goes back to the
    /// pool, but not ours: without this a unit of work would start in the organization the last one acted in, or
    /// run mail queued by a save that failed there.
    /// </summary>
    internal static TContext Lease<TContext>(IDbContextFactory<TContext> pool) where TContext : RoundsDbContext
    {
        var db = pool.CreateDbContext();
        db.Forget();
        return db;
    }

    // Also on the way back to the pool, so that a context waiting there holds no organization and no queued work
    // (whose closures would keep the finished request's services alive).
    public override void Dispose()
    {
        Forget();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        Forget();
        return base.DisposeAsync();
    }

    private void Forget()
    {
        TenantId = null;
        afterCommit.Clear();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(RoundsDbContext).Assembly);
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(IOrgOwned).IsAssignableFrom(e.ClrType)))
        {
            FilterToTenant.MakeGenericMethod(entity.ClrType).Invoke(this, [builder]);
        }
    }

    private static readonly System.Reflection.MethodInfo FilterToTenant =
        typeof(RoundsDbContext).GetMethod(nameof(FilterToTenantOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;

    // TenantId is read per query from the context instance, so one model serves every organization.
    private void FilterToTenantOf<T>(ModelBuilder builder) where T : class, IOrgOwned =>
        builder.Entity<T>().HasQueryFilter(row => TenantId == null || row.OrganizationId == TenantId);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseAuditRewrites();
        try
        {
            var saved = base.SaveChanges(acceptAllChangesOnSuccess);
            if (Database.CurrentTransaction is null)
            {
                RunAfterCommitAsync(CancellationToken.None).GetAwaiter().GetResult();
            }

            return saved;
        }
        catch
        {
            DropAfterCommit();
            throw;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseAuditRewrites();
        int saved;
        try
        {
            saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch
        {
            DropAfterCommit();
            throw;
        }

        // Inside an explicit transaction the change is not durable yet; the interceptor runs the work at commit.
        if (Database.CurrentTransaction is null)
        {
            await RunAfterCommitAsync(cancellationToken);
        }

        return saved;
    }

    private void RefuseAuditRewrites()
    {
        foreach (var entry in ChangeTracker.Entries<AuditEntry>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("The audit log is append-only: entries cannot be changed or deleted.");
            }
        }
    }
}

public sealed class SqliteRoundsDbContext(DbContextOptions<SqliteRoundsDbContext> options) : RoundsDbContext(options)
{
    // Here rather than where the app configures the database, so that every SQLite context (the tools' own too)
    // searches with the same lower().
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        base.OnConfiguring(optionsBuilder);
        AddOnce(optionsBuilder, SqliteUnicodeLower.Instance);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native timestamp type; binary ticks keep ordering and comparison in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresRoundsDbContext(DbContextOptions<PostgresRoundsDbContext> options) : RoundsDbContext(options);
