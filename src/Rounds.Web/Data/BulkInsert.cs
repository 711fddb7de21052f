using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rounds.Web.Data;

/// <summary>
/// Writes many rows of one entity with multi-row INSERTs, bypassing the change tracker: the seeder writes
/// millions of rows, and tracking them would cost more memory and time than the writes. Columns, conversions
/// and parameter types come from the EF model, so a row written here reads back exactly as one saved by EF.
/// </summary>
public sealed class BulkInsert<T> : IAsyncDisposable
    where T : class
{
    // PostgreSQL takes up to 65,535 parameters a statement, and larger statements mean fewer round-trips. SQLite
    // finds each parameter by name with a linear search over the statement's parameters, so binding costs the
    // square of their number: a few hundred is ten times faster there than thousands.
    private const int ParametersPerStatementPostgres = 8_000;
    private const int ParametersPerStatementSqlite = 400;

    private readonly DbConnection connection;
    private readonly DbTransaction transaction;
    private readonly IReadOnlyList<(IProperty Property, RelationalTypeMapping Mapping)> columns;
    private readonly string prefix;
    private readonly int rowsPerStatement;
    private readonly List<T> pending = [];
    private DbCommand? full;

    public BulkInsert(RoundsDbContext db, DbTransaction transaction)
    {
        connection = transaction.Connection!;
        this.transaction = transaction;
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // Keys the database numbers itself (the audit log's) are left out; every other column is written.
        columns = entity.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType == typeof(long)))
            .Select(p => (p, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        prefix = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) VALUES ";
        var parameters = db.Database.IsSqlite() ? ParametersPerStatementSqlite : ParametersPerStatementPostgres;
        rowsPerStatement = Math.Max(1, parameters / columns.Count);
    }

    public int Written { get; private set; }

    /// <summary>Rows added and not yet written, so a long run can flush in chunks and keep its memory flat.</summary>
    public int Pending => pending.Count;

    /// <summary>Keeps the row until <see cref="FlushAsync"/>, so the caller decides the order tables are written in (parents first).</summary>
    public void Add(T row) => pending.Add(row);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < pending.Count; offset += rowsPerStatement)
        {
            var count = Math.Min(rowsPerStatement, pending.Count - offset);
            // A full batch always has the same text, so its command is prepared once and reused with new values.
            var isFull = count == rowsPerStatement;
            var command = isFull ? full ??= Create(rowsPerStatement) : Create(count);
            for (var row = 0; row < count; row++)
            {
                for (var column = 0; column < columns.Count; column++)
                {
                    var value = columns[column].Property.GetGetter().GetClrValue(pending[offset + row]);
                    var converter = columns[column].Mapping.Converter;
                    command.Parameters[(row * columns.Count) + column].Value = (converter is null || value is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
            if (!isFull)
            {
                await command.DisposeAsync();
            }
        }

        Written += pending.Count;
        pending.Clear();
    }

    private DbCommand Create(int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = 0;
        var text = new StringBuilder(prefix);
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Count; column++)
            {
                var name = $"@p{(row * columns.Count) + column}";
                text.Append(column == 0 ? name : ", " + name);
                // The mapping sets the provider type (timestamptz, uuid…); the value is filled in per batch.
                command.Parameters.Add(columns[column].Mapping.CreateParameter(command, name, null, columns[column].Property.IsNullable));
            }

            text.Append(')');
        }

        command.CommandText = text.ToString();
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (full is not null)
        {
            await full.DisposeAsync();
        }
    }
}
