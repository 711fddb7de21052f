using ArchUnitNET.Domain;
using ArchModel = ArchUnitNET.Domain.Architecture;
using ArchUnitNET.Loader;
using Microsoft.EntityFrameworkCore;

namespace Rounds.Architecture.Tests;

/// <summary>
/// Reads the compiled code (IL, so a call such as <c>Set&lt;SocialAccount&gt;()</c> counts as a use of
/// <c>SocialAccount</c>) and reports every place where one area uses another area's internals.
/// </summary>
public static class AreaDependencies
{
    /// <summary>One use of another area's type: from which area and type, to which area and type.</summary>
    public sealed record Use(string FromArea, string FromType, string ToArea, string ToType)
    {
        public override string ToString() => $"{FromArea} -> {ToArea}: {FromType} -> {ToType}";
    }

    public static ArchModel Load(params System.Reflection.Assembly[] assemblies) =>
        new ArchLoader().LoadAssemblies(assemblies).Build();

    /// <summary>
    /// The area a namespace belongs to: the segment after <c>Features</c>. <c>Shared</c> is everybody's, so it
    /// is no area. Host code (the layout, the database context, start-up) is outside the areas.
    /// </summary>
    public static string? AreaOf(string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            return null;
        }

        var parts = ns.Split('.');
        var at = Array.IndexOf(parts, "Features");
        if (at < 0 || at + 1 >= parts.Length || parts[at + 1] == "Shared")
        {
            return null;
        }

        return parts[at + 1];
    }

    /// <summary>Whether a type is published by its area for others to use.</summary>
    public static bool IsPublished(string? ns)
    {
        var parts = (ns ?? "").Split('.');
        var at = Array.IndexOf(parts, "Features");
        return at >= 0 && at + 2 < parts.Length && parts[at + 2] == "Contracts";
    }

    /// <summary>Every use of another area's type that is not in that area's contracts.</summary>
    public static IReadOnlyList<Use> ForbiddenUses(ArchModel architecture) =>
        AllUses(architecture)
            .Where(use => !IsPublished(use.ToNamespace) && !use.FromEntityConfiguration)
            .Select(use => use.Use)
            .Distinct()
            .OrderBy(use => use.ToString(), StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Every use of an area's internals by code outside the areas: the tenancy kernel, the host (start-up,
    /// layout, <c>Features/Shared</c>). Only the database context and its migrations, where every entity
    /// meets by design, and EF configurations naming a foreign key's other end are exempt.
    /// </summary>
    public static IReadOnlyList<Use> ForbiddenHostUses(ArchModel architecture, string root)
    {
        var configurations = Configurations(architecture);
        var uses = new List<Use>();
        foreach (var type in architecture.Types)
        {
            var ns = type.Namespace.FullName;
            if (!ns.StartsWith(root, StringComparison.Ordinal) || AreaOf(ns) is not null || ns.StartsWith(root + ".Data", StringComparison.Ordinal))
            {
                continue;
            }

            var from = Outermost(type.FullName);
            if (configurations.Contains(from))
            {
                continue;
            }

            foreach (var dependency in type.Dependencies)
            {
                var target = dependency.Target;
                if (AreaOf(target.Namespace.FullName) is { } toArea && !IsPublished(target.Namespace.FullName))
                {
                    uses.Add(new Use("(host)", from, toArea, Outermost(target.FullName)));
                }
            }
        }

        return uses.Distinct().OrderBy(use => use.ToString(), StringComparer.Ordinal).ToList();
    }

    /// <summary>The areas each area uses, through contracts or not.</summary>
    public static IReadOnlyDictionary<string, SortedSet<string>> AreaGraph(ArchModel architecture)
    {
        var graph = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var use in AllUses(architecture).Where(use => !use.FromEntityConfiguration))
        {
            if (!graph.TryGetValue(use.Use.FromArea, out var targets))
            {
                graph[use.Use.FromArea] = targets = new SortedSet<string>(StringComparer.Ordinal);
            }

            targets.Add(use.Use.ToArea);
        }

        return graph;
    }

    /// <summary>Each set of areas that use each other in a circle, found with Tarjan's algorithm.</summary>
    public static IReadOnlyList<string> Cycles(IReadOnlyDictionary<string, SortedSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<string>();
        var next = 0;

        void Visit(string area)
        {
            index[area] = low[area] = next++;
            stack.Push(area);
            onStack.Add(area);
            foreach (var target in graph.TryGetValue(area, out var targets) ? targets : [])
            {
                if (!index.ContainsKey(target))
                {
                    Visit(target);
                    low[area] = Math.Min(low[area], low[target]);
                }
                else if (onStack.Contains(target))
                {
                    low[area] = Math.Min(low[area], index[target]);
                }
            }

            if (low[area] == index[area])
            {
                var members = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    members.Add(member);
                }
                while (member != area);

                if (members.Count > 1)
                {
                    members.Sort(StringComparer.Ordinal);
                    cycles.Add(string.Join(" <-> ", members));
                }
            }
        }

        foreach (var area in graph.Keys.OrderBy(area => area, StringComparer.Ordinal))
        {
            if (!index.ContainsKey(area))
            {
                Visit(area);
            }
        }

        cycles.Sort(StringComparer.Ordinal);
        return cycles;
    }

    private sealed record Found(Use Use, string? ToNamespace, bool FromEntityConfiguration);

    private static IEnumerable<Found> AllUses(ArchModel architecture)
    {
        var configurations = Configurations(architecture);

        foreach (var type in architecture.Types)
        {
            var fromArea = AreaOf(type.Namespace.FullName);
            if (fromArea is null)
            {
                continue;
            }

            var from = Outermost(type.FullName);
            // EF configurations may name another area's entity as the other end of a foreign key.
            var configuration = configurations.Contains(from);
            foreach (var dependency in type.Dependencies)
            {
                var target = dependency.Target;
                var toArea = AreaOf(target.Namespace.FullName);
                if (toArea is null || toArea == fromArea)
                {
                    continue;
                }

                yield return new Found(new Use(fromArea, from, toArea, Outermost(target.FullName)), target.Namespace.FullName, configuration);
            }
        }
    }

    private static HashSet<string> Configurations(ArchModel architecture) => architecture.Types
        .Where(type => type.ImplementedInterfaces.Any(i => i.FullName.StartsWith(EntityConfigurationName, StringComparison.Ordinal)))
        .Select(type => Outermost(type.FullName))
        .ToHashSet(StringComparer.Ordinal);

    private static readonly string EntityConfigurationName = typeof(IEntityTypeConfiguration<>).FullName!;

    /// <summary>Lambdas, iterators and async methods compile to nested types; they count as their outer type.</summary>
    private static string Outermost(string fullName)
    {
        var plus = fullName.IndexOf('+', StringComparison.Ordinal);
        var outer = plus < 0 ? fullName : fullName[..plus];
        var generic = outer.IndexOf('<', StringComparison.Ordinal);
        return generic < 0 ? outer : outer[..generic];
    }
}
