using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;

namespace PolicyService.Server.Storage;

/// <summary>
/// Open connections that keep the store's hot read commands prepared, for a database where compiling a statement costs
/// more than running it (SQLite: its driver prepares per command object, and a lookup's statement compiles in tens of
/// microseconds but runs in a few). Each connection serves one call at a time; a connection that saw an error is
/// closed, not reused. Each statement still runs on its own, so it reads the latest committed data (WAL).
/// </summary>
internal sealed class PreparedReads(ISqlDialect dialect) : IDisposable
{
    /// <summary>
    /// At most this many reads run at once, each on a connection of its own. The statements are CPU-bound once their
    /// pages are cached, so a few per core keep the CPUs busy, and the open connections (each with its own page cache)
    /// stay bounded whatever the number of calls in flight.
    /// </summary>
    public static readonly int MaxOpen = Math.Max(2, 2 * Environment.ProcessorCount);

    private readonly ConcurrentBag<Session> _idle = [];
    private readonly SemaphoreSlim _open = new(MaxOpen, MaxOpen);
    private int _generation;

    public async Task<Session> RentAsync(CancellationToken ct)
    {
        await _open.WaitAsync(ct);
        try
        {
            if (_idle.TryTake(out var session)) return session;
            var connection = dialect.CreateConnection();
            try
            {
                await connection.OpenAsync(ct);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
            return new Session(connection, Volatile.Read(ref _generation));
        }
        catch
        {
            _open.Release();
            throw;
        }
    }

    /// <summary>Gives a healthy connection back for the next read.</summary>
    public void Return(Session session)
    {
        if (session.Generation == Volatile.Read(ref _generation)) _idle.Add(session);
        else session.Dispose(); // opened before a Clear: it may still hold a database file that has since been replaced
        _open.Release();
    }

    /// <summary>Closes every idle connection, and each rented one when it comes back, so later reads reopen the database.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        while (_idle.TryTake(out var session)) session.Dispose();
    }

    /// <summary>Closes a connection that saw an error instead of reusing it.</summary>
    public void Discard(Session session)
    {
        session.Dispose();
        _open.Release();
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var session)) session.Dispose();
        _open.Dispose();
    }

    /// <summary>One open connection and the commands prepared on it, by SQL text.</summary>
    internal sealed class Session(DbConnection connection, int generation = 0) : IDisposable
    {
        public int Generation => generation;

        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

        public DbConnection Connection => connection;

        public DbCommand Command(string sql, Action<DbCommand> declareParameters)
        {
            if (_commands.TryGetValue(sql, out var command)) return command;
            command = connection.CreateCommand();
            command.CommandText = sql;
            declareParameters(command);
            command.Prepare();
            _commands[sql] = command;
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values) command.Dispose();
            connection.Dispose();
        }
    }
}
