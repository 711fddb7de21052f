using Rounds.Web;

namespace Rounds.Architecture.Tests;

/// <summary>
/// The area rules of docs/decisions/0010-areas-and-contracts.md, checked on the compiled web application: an
/// area uses another only through its Contracts, Shared or the tenancy kernel, and no areas use each other in
/// a circle. <c>known-violations.txt</c> lists uses that break the rule but are tolerated for now; it may
/// only shrink.
/// </summary>
public class AreaBoundaryTests
{
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Web = new(() => AreaDependencies.Load(typeof(RoundsApp).Assembly));

    [Fact]
    public void Areas_use_each_other_only_through_their_contracts()
    {
        var found = AreaDependencies.ForbiddenUses(Web.Value).Select(u => u.ToString()).ToList();
        var known = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "known-violations.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();

        var added = found.Except(known).ToList();
        Assert.True(added.Count == 0, "These uses reach into another area; go through its Contracts instead:\n" + string.Join("\n", added));
        var gone = known.Except(found).ToList();
        Assert.True(gone.Count == 0, "These uses are gone; take them off known-violations.txt:\n" + string.Join("\n", gone));
    }

    [Fact]
    public void The_kernel_and_the_host_use_areas_only_through_their_contracts()
    {
        var uses = AreaDependencies.ForbiddenHostUses(Web.Value, "Rounds.Web");
        Assert.True(uses.Count == 0, "Code outside the areas reaches into an area; use its Contracts or let the area plug in:\n" + string.Join("\n", uses));
    }

    [Fact]
    public void No_areas_depend_on_each_other_in_a_circle()
    {
        var cycles = AreaDependencies.Cycles(AreaDependencies.AreaGraph(Web.Value));
        Assert.True(cycles.Count == 0, "Areas that use each other in a circle:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_rules_see_a_reach_into_another_areas_entities_in_the_compiled_code()
    {
        // The fixture sits in a Publishing namespace and reads the registry's accounts straight from the context.
        var fixture = AreaDependencies.Load(typeof(Fixture.Features.Publishing.ReachesIntoAccounts).Assembly, typeof(RoundsApp).Assembly);
        var uses = AreaDependencies.ForbiddenUses(fixture).Where(u => u.FromType == typeof(Fixture.Features.Publishing.ReachesIntoAccounts).FullName).ToList();
        Assert.Contains(uses, u => u.ToArea == "Accounts" && u.ToType == "Rounds.Web.Features.Accounts.SocialAccount");

        // Through the published card nothing is reported.
        Assert.DoesNotContain(
            AreaDependencies.ForbiddenUses(fixture),
            u => u.FromType == typeof(Fixture.Features.Publishing.UsesTheDirectory).FullName);
    }

    [Fact]
    public void The_rules_see_a_circle_between_areas()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["Accounts"] = ["Requests"],
            ["Requests"] = ["Learning"],
            ["Learning"] = ["Accounts"],
            ["Publishing"] = ["Accounts"],
        };
        Assert.Equal(["Accounts <-> Learning <-> Requests"], AreaDependencies.Cycles(graph));
    }

    [Theory]
    [InlineData("Rounds.Screening")]
    [InlineData("Rounds.Networks")]
    public void The_pure_libraries_never_reference_the_web_host(string library)
    {
        var assembly = System.Reflection.Assembly.Load(library);
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), reference => reference.Name == typeof(RoundsApp).Assembly.GetName().Name);
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), reference => reference.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
