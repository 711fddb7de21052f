using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Rounds.Web.Data;

/// <summary>
/// A compiled query, compiled once for each EF Core model that runs it. Queries every page runs (the person's
/// organizations, the menu's figures) are compiled so that a request skips building their expression and turning it
/// into a cache key; but a compiled query refuses any model other than the one it was first run with, and one
/// process may hold several (an application per database in the tests), so each model gets its own.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> compiled = [];

    public TQuery For(DbContext db) => compiled.GetValue(db.Model, _ => compile());
}
