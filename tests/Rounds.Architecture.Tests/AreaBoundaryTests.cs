using Rounds.Web;

namespace Rounds.Architecture.Tests;

public class AreaBoundaryTests
{
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Web = new(() => AreaDependencies.Load(typeof(RoundsApp).Assembly));

    [Fact]
    public void Print()
    {
        var uses = AreaDependencies.ForbiddenUses(Web.Value);
        File.WriteAllLines("/tmp/violations.txt", uses.Select(u => u.ToString()));
        var graph = AreaDependencies.AreaGraph(Web.Value);
        File.WriteAllLines("/tmp/graph.txt", graph.Select(kv => kv.Key + " -> " + string.Join(", ", kv.Value)).Concat(AreaDependencies.Cycles(graph)));
    }
}
