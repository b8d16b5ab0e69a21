using System.Data.Common;
using Dapper;
using PolicyService.Server.Domain;
using PolicyService.Server.Observability;

namespace PolicyService.Server.Storage;

/// <summary>
/// The one way store work reaches the database: open a connection (pooled, or a prepared-read session where the
/// dialect keeps them), time the call (PolicyTelemetry's store metrics and spans), count each command sent
/// (<see cref="RoundTrips"/>), and turn connection failures and transient errors into <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class StoreExecutor(ISqlDialect dialect) : IDisposable
{
    private readonly PreparedReads? _prepared = dialect.KeepsPreparedReads ? new PreparedReads(dialect) : null;

    public StoreRoundTrips RoundTrips { get; } = new(dialect.Name);

    public void Dispose() => _prepared?.Dispose();

    /// <summary>Runs work on a pooled connection; every command it sends goes through <see cref="Command"/>.</summary>
    public async Task<T> RunAsync<T>(StoreOperation operation, Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        using var call = PolicyTelemetry.StartStoreCall(dialect.Name, operation.ToString());
        try
        {
            await using var db = dialect.CreateConnection();
            await OpenAsync(() => db.OpenAsync(ct));
            return await TranslatedAsync(() => work(db));
        }
        catch (Exception e) when (call.Failed(e))
        {
            throw; // never reached: Failed returns false
        }
    }

    /// <summary>
    /// A lookup's read: one command, one round trip. Where the dialect keeps prepared reads the command is compiled once
    /// per connection and reused; otherwise it is a new command on a pooled connection, as every other read.
    /// </summary>
    public async Task<T> ReadAsync<T>(StoreOperation operation, string sql, Action<DbCommand> declare, Action<DbCommand> bind,
        Func<DbDataReader, Task<T>> read, CancellationToken ct)
    {
        if (_prepared is null)
        {
            return await RunAsync(operation, async db =>
            {
                await using var command = db.CreateCommand();
                command.CommandText = sql;
                declare(command);
                return await ExecuteAsync(operation, command, bind, read, ct);
            }, ct);
        }

        using var call = PolicyTelemetry.StartStoreCall(dialect.Name, operation.ToString());
        try
        {
            var session = await OpenAsync(() => _prepared.RentAsync(ct));
            try
            {
                var result = await TranslatedAsync(() => ExecuteAsync(operation, session.Command(sql, declare), bind, read, ct));
                _prepared.Return(session);
                return result;
            }
            catch
            {
                _prepared.Discard(session); // a connection that saw an error is not reused
                throw;
            }
        }
        catch (Exception e) when (call.Failed(e))
        {
            throw; // never reached: Failed returns false
        }
    }

    /// <summary>The command for one round trip, counted in <see cref="RoundTrips"/>.</summary>
    public CommandDefinition Command(StoreOperation operation, string sql, object? parameters, CancellationToken ct, DbTransaction? transaction = null)
    {
        RoundTrips.Add(operation);
        return new(sql, parameters, transaction, cancellationToken: ct);
    }

    private async Task<T> ExecuteAsync<T>(StoreOperation operation, DbCommand command, Action<DbCommand> bind, Func<DbDataReader, Task<T>> read, CancellationToken ct)
    {
        bind(command);
        RoundTrips.Add(operation);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await read(reader);
    }

    /// <summary>Runs work on a connection outside every pool, so it sees the database as a newly opened connection would.</summary>
    public async Task<T> ProbeAsync<T>(StoreOperation operation, Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        using var call = PolicyTelemetry.StartStoreCall(dialect.Name, operation.ToString());
        try
        {
            await using var db = dialect.CreateProbeConnection();
            await OpenAsync(() => db.OpenAsync(ct));
            return await TranslatedAsync(() => work(db));
        }
        catch (Exception e) when (call.Failed(e))
        {
            throw; // never reached: Failed returns false
        }
    }

    /// <summary>Drops idle pooled and prepared connections, so the next calls reopen the database.</summary>
    public void ResetConnections()
    {
        _prepared?.Clear();
        dialect.ClearPools();
    }

    private async Task<T> OpenAsync<T>(Func<Task<T>> open)
    {
        try
        {
            return await open();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw StoreErrors.CannotOpen(dialect, e); // misconfigured (fix the settings) or unavailable (retry)
        }
    }

    private Task<bool> OpenAsync(Func<Task> open) => OpenAsync(async () =>
    {
        await open();
        return true;
    });

    private async Task<T> TranslatedAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (dialect.IsUnavailable(e))
        {
            throw new StoreUnavailableException($"The {dialect.Name} database is unavailable.", e);
        }
    }
}
