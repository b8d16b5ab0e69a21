using System.Text.Json;
using Google.Protobuf;
using PolicyService.Server.Api;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using static PolicyService.Storage.Tests.Now;

namespace PolicyService.Storage.Tests;

/// <summary>
/// The snapshot must answer exactly as the database does. Random data and random changes (seeded, so a failure
/// reproduces) are written through the snapshot store; before and after every change, random duty, export and truce
/// queries are answered from memory and from the database's lookup statements, and the answers compared message for
/// message. Codes run from 6 to 10 digits, so answers with variants (lines under a less specific code) are compared too.
/// </summary>
public abstract class SnapshotEquivalenceTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase> where TDatabase : class, ITestDatabase
{
    private static readonly string[] Importers = ["US", "CN", "EU"];
    private static readonly string[] Origins = ["CN", "US", "VN", "MX"];
    private static readonly string[] Prefixes = ["85", "8507", "850760", "85076000", "8507600020", "8504", "850440", "72", "7208", "720851", "2805"];
    private static readonly string[] Codes = ["850760", "8507600020", "8507600010", "85044095", "720851", "7208510000", "280530", "010121"];
    private static readonly string[] Items = ["gallium", "germanium", "graphite"];
    private static readonly DateOnly Start = new(2018, 1, 1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected abstract int Changes { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(20251115)]
    [InlineData(7)]
    public async Task Snapshot_answers_equal_database_answers_before_and_after_every_change(int seed)
    {
        Assert.SkipWhen(database.Dialect is null, database.SkipReason);
        var random = new Random(seed);
        var run = $"R{seed}-{Guid.NewGuid():N}"[..16];
        using var db = new PolicyStore(database.Dialect!);
        if (await new Migrator(database.Dialect!).CurrentVersionAsync(Ct) == 0) await new Migrator(database.Dialect!).MigrateAsync(Ct);

        var sources = new[] { new Source($"{run}-S1", "A source", ["https://example.org/1"]), new Source($"{run}-S2", "Another", ["https://example.org/2"]) };
        var measures = Enumerable.Range(0, 30).Select(i => Measure(random, run, i, sources)).ToList();
        var controls = Enumerable.Range(0, 12).Select(i => Control(random, run, i, sources)).ToList();
        await db.ApplyAsync(new ChangeSet(new ChangeContext("test", "random data", ""), sources, new DateOnly(2026, 10, 8),
            [.. measures.Select(m => new RecordChange(m, RecordChange.Create, "")), .. controls.Select(c => new RecordChange(c, RecordChange.Create, "")),
             new RecordChange(Truce(run, "US", "CN", sources), RecordChange.Create, ""), new RecordChange(Truce(run + "B", "US", "VN", sources), RecordChange.Create, "")]), Ct);

        await using var snapshot = await RunningSnapshot.StartAsync(db, Ct);
        await AssertSameAnswersAsync(random, db, snapshot, "after the first load");
        for (var step = 0; step < Changes; step++)
        {
            // Replace a measure or control wholesale (new origins, scope, periods), or add one: every index lane can move.
            IPolicyRecord changed = random.Next(4) switch
            {
                0 => Measure(random, run, measures.Count, sources),
                1 => Control(random, run, random.Next(controls.Count), sources),
                _ => Measure(random, run, random.Next(measures.Count), sources),
            };
            var isNew = changed is TariffMeasure m && m.Id == Id(run, "T", measures.Count);
            if (isNew) measures.Add((TariffMeasure)changed);
            await snapshot.Store.ApplyAsync(new ChangeSet(new ChangeContext("test", $"step {step}", ""), [], null,
                [isNew ? new RecordChange(changed, RecordChange.Create, "") : new RecordChange(changed, RecordChange.Update, null)]), Ct);
            Assert.Equal(await db.LatestChangeAsync(Ct), snapshot.Live.Current!.Position);
            await AssertSameAnswersAsync(random, db, snapshot, $"after step {step} ({changed.Id})");
        }
    }

    private static async Task AssertSameAnswersAsync(Random random, PolicyStore db, RunningSnapshot snapshot, string when)
    {
        var reference = await snapshot.Catalog.GetAsync(Ct);
        for (var q = 0; q < 25; q++)
        {
            var (importer, origin, code) = (Pick(random, Importers), Pick(random, Origins), Code(random));
            var asOf = Start.AddDays(random.Next(3650));
            var fromDb = await db.FindTariffCandidatesAsync(importer, origin, code, Latest, Ct);
            var fromMemory = await snapshot.Store.FindTariffCandidatesAsync(importer, origin, code, Latest, Ct);
            var context = $"{when}: duty {importer}/{origin}/{code} on {asOf}";
            Assert.True(Serialized(fromDb) == Serialized(fromMemory), $"{context}\n{Serialized(fromDb)}\n{Serialized(fromMemory)}");
            Assert.Equal(Duty(fromDb, importer, origin, code, asOf, reference), Duty(fromMemory, importer, origin, code, asOf, reference));

            var exporter = Pick(random, Importers);
            var item = random.Next(2) == 0 ? new ExportItem(Code(random), null) : new ExportItem(null, Pick(random, Items));
            var controlsDb = await db.FindExportCandidatesAsync(exporter, origin, item, Latest, Ct);
            var controlsMemory = await snapshot.Store.FindExportCandidatesAsync(exporter, origin, item, Latest, Ct);
            Assert.True(Serialized(controlsDb) == Serialized(controlsMemory), $"{when}: export {exporter}/{origin}/{item.Display}");
            Assert.Equal(ExportVariants.Resolve(controlsDb, exporter, origin, item, asOf).ToProto(reference, reference.ExportCoverage(Epoch, exporter, origin, asOf), Epoch).ToByteString(),
                ExportVariants.Resolve(controlsMemory, exporter, origin, item, asOf).ToProto(reference, reference.ExportCoverage(Epoch, exporter, origin, asOf), Epoch).ToByteString());
        }
        foreach (var (a, b) in new[] { ("US", "CN"), ("CN", "US"), ("US", "VN") })
        {
            Assert.True(Serialized(await db.FindTrucesAsync(a, b, Latest, Ct)) == Serialized(await snapshot.Store.FindTrucesAsync(a, b, Latest, Ct)), $"{when}: truces {a}/{b}");
        }
    }

    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static ByteString Duty(IReadOnlyList<TariffMeasure> candidates, string importer, string origin, string code, DateOnly asOf, ReferenceData reference) =>
        DutyVariants.Resolve(candidates, importer, origin, code, asOf).ToProto(reference, reference.DutyCoverage(Epoch, importer, origin, asOf), Epoch).ToByteString();

    private static string Serialized<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static string Id(string run, string kind, int i) => $"{run}-{kind}{i:D3}";

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    /// <summary>A code of 6 to 10 digits: often less specific than the scopes, so the candidates filed under longer prefixes are compared too.</summary>
    private static string Code(Random random)
    {
        var code = Pick(random, Codes);
        return code[..Math.Min(code.Length, random.Next(HsCode.MinDigits, HsCode.MaxDigits + 1))];
    }

    private static TariffMeasure Measure(Random random, string run, int i, Source[] sources)
    {
        var allOrigins = random.Next(5) == 0;
        var allProducts = random.Next(10) == 0;
        var scope = allProducts ? [] : Enumerable.Range(0, random.Next(1, 3)).Select(_ => Pick(random, Prefixes)).Distinct().ToList();
        var excluded = random.Next(4) == 0 ? new List<string> { Pick(random, Prefixes) } : [];
        return new TariffMeasure(Id(run, "T", i), Pick(random, Importers),
            allOrigins ? [] : Origins.Where(_ => random.Next(3) == 0).DefaultIfEmpty(Pick(random, Origins)).Distinct().ToList(), allOrigins,
            $"Measure {i}", Pick(random, (TariffKind[])[TariffKind.Section301, TariffKind.Antidumping, TariffKind.IeepaReciprocal, TariffKind.Mfn]),
            new ProductScope(allProducts, scope, excluded, "random scope"), "Instrument", Confidence.Confirmed, "", [sources[random.Next(2)].Id],
            Periods(random, (start, end, status) => new TariffPeriod($"{Id(run, "T", i)}-{start:yyyyMMdd}", start, end, status,
                random.Next(8) == 0 ? null : random.Next(0, 10_000) / 100m, "rate", "Instrument", null, null, Term(random, run), "", Confidence.Confirmed)),
            random.Next(5) == 0 ? [new StackingExclusion(Id(run, "T", random.Next(30)), "replaced")] : []);
    }

    private static ExportControl Control(Random random, string run, int i, Source[] sources)
    {
        var allDestinations = random.Next(3) == 0;
        return new ExportControl(Id(run, "X", i), Pick(random, Importers),
            allDestinations ? [] : [Pick(random, Origins)], allDestinations, $"Control {i}",
            random.Next(2) == 0 ? ExportControlType.LicenseRequired : ExportControlType.Prohibited,
            new ProductScope(false, [Pick(random, Prefixes)], [], "random scope"),
            [new ControlledItem(Pick(random, Items), "1C", [Pick(random, Codes)])], [], "Instrument", Confidence.Confirmed, "", [sources[0].Id],
            Periods(random, (start, end, status) => new ControlPeriod($"{Id(run, "X", i)}-{start:yyyyMMdd}", start, end, status, "Instrument", null, Term(random, run), "", Confidence.Confirmed)));
    }

    /// <summary>Now and then a period made by a term of one of the run's truces, so truce lookups carry measures and controls.</summary>
    private static string? Term(Random random, string run) => random.Next(4) == 0 ? $"{run}{(random.Next(2) == 0 ? "" : "B")}-TERM{random.Next(2)}" : null;

    private static Truce Truce(string run, string partyA, string partyB, Source[] sources) => new(
        $"{run}-TRUCE", [partyA, partyB], $"Truce {partyA}-{partyB}", new DateOnly(2025, 11, 1), new DateOnly(2025, 11, 10), Confidence.Confirmed, "",
        [sources[0].Id], [new TruceExtension($"{run}-W1", new DateOnly(2025, 11, 10), new DateOnly(2026, 11, 10), "Instrument", "")],
        [.. Enumerable.Range(0, 2).Select(k => new TruceTerm($"{run}-TERM{k}", [partyA], TruceTermType.SuspendMeasure, "scope", "term", "Instrument",
            null, new DateOnly(2025, 11, 10), "", [], [], [sources[0].Id], Confidence.Confirmed))],
        [], null);

    /// <summary>One to three consecutive periods between 2018 and 2028, the last one open-ended now and then.</summary>
    private static List<T> Periods<T>(Random random, Func<DateOnly, DateOnly?, PeriodStatus, T> period)
    {
        var periods = new List<T>();
        var start = Start.AddDays(random.Next(2000));
        var count = random.Next(1, 4);
        for (var p = 0; p < count; p++)
        {
            DateOnly? end = p == count - 1 && random.Next(2) == 0 ? null : start.AddDays(random.Next(30, 900));
            periods.Add(period(start, end, Pick(random, (PeriodStatus[])[PeriodStatus.InForce, PeriodStatus.InForce, PeriodStatus.Announced, PeriodStatus.Suspended, PeriodStatus.Expired])));
            if (end is not { } next) break;
            start = next;
        }
        return periods;
    }
}

public sealed class SqliteSnapshotEquivalenceTests(SqliteTestDatabase database) : SnapshotEquivalenceTests<SqliteTestDatabase>(database)
{
    protected override int Changes => 60;
}

public sealed class SqlServerSnapshotEquivalenceTests(SqlServerTestDatabase database) : SnapshotEquivalenceTests<SqlServerTestDatabase>(database)
{
    protected override int Changes => 12;
}
