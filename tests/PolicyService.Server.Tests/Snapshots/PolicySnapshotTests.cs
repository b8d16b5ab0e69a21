using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Snapshots;

namespace PolicyService.Server.Tests.Snapshots;

/// <summary>
/// The compact snapshot finds exactly the records a plain scan of the data finds: when built, when built from records
/// out of id order, after changes that move records between lanes, and after compaction.
/// </summary>
public class PolicySnapshotTests
{
    private static readonly PolicyDataset Seed = SeedData.Load();
    private static readonly string[] Jurisdictions = ["US", "CN", "VN", "MX", "HK"];

    private static readonly string[] TenDigitCodes =
        [.. Seed.TariffMeasures.SelectMany(m => m.Scope.HsPrefixes).Concat(Seed.TariffMeasures.SelectMany(m => m.Scope.ExcludedHsPrefixes))
            .Select(p => p.PadRight(10, '0')).Concat(["8507600020", "8507600010", "0101210010", "9999999999"]).Distinct().Take(120)];

    // Less specific codes too (6, 7, 8 and 9 digits), which also find the records filed under longer prefixes that start with them.
    private static readonly string[] Codes =
        [.. TenDigitCodes, .. TenDigitCodes.Where((_, i) => i % 3 == 0).SelectMany(c => new[] { c[..6], c[..7], c[..8], c[..9] }).Concat(["850760", "85076000", "999999"]).Distinct()];

    [Fact]
    public void Built_from_the_seed_it_finds_what_a_scan_finds()
    {
        var snapshot = PolicySnapshot.Build(Seed.TariffMeasures, Seed.ExportControls, Seed.Truces, 1);
        AssertFindsAsScan(snapshot, Seed.TariffMeasures, Seed.ExportControls);
        foreach (var m in Seed.TariffMeasures) Assert.Equal(m.Id, snapshot.TariffMeasure(m.Id)?.Id);
        foreach (var c in Seed.ExportControls) Assert.Equal(c.Id, snapshot.ExportControl(c.Id)?.Id);
        Assert.Null(snapshot.TariffMeasure("TAR-NONE"));
        Assert.Null(snapshot.ExportControl(""));
    }

    [Fact]
    public void Records_out_of_id_order_are_put_in_order()
    {
        var reversed = PolicySnapshot.Build(Enumerable.Reverse(Seed.TariffMeasures), Enumerable.Reverse(Seed.ExportControls), Seed.Truces, 1);
        AssertFindsAsScan(reversed, Seed.TariffMeasures, Seed.ExportControls);
        foreach (var m in Seed.TariffMeasures) Assert.Equal(m.Id, reversed.TariffMeasure(m.Id)?.Id);
    }

    [Fact]
    public void Changes_move_records_between_lanes_and_compaction_keeps_every_answer()
    {
        var snapshot = PolicySnapshot.Build(Seed.TariffMeasures, Seed.ExportControls, Seed.Truces, 1);
        var measures = Seed.TariffMeasures.ToDictionary(m => m.Id);
        var controls = Seed.ExportControls.ToDictionary(c => c.Id);
        var random = new Random(20251115);
        for (var step = 0; step < 40; step++)
        {
            var changed = new List<IPolicyRecord>();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                if (random.Next(3) == 0)
                {
                    var c = controls.Values.ElementAt(random.Next(controls.Count));
                    var moved = c with { Exporter = Pick(random), Destinations = [Pick(random)], AllDestinations = random.Next(4) == 0 };
                    controls[moved.Id] = moved;
                    changed.Add(moved);
                }
                else
                {
                    var source = measures.Values.ElementAt(random.Next(measures.Count));
                    var id = random.Next(4) == 0 ? $"TAR-NEW-{step:D2}{k}" : source.Id;
                    var moved = source with
                    {
                        Id = id, Importer = Pick(random), Origins = [Pick(random)], AllOrigins = random.Next(5) == 0,
                        Scope = source.Scope with { HsPrefixes = [TenDigitCodes[random.Next(TenDigitCodes.Length)][..(2 * random.Next(1, 6))]] },
                    };
                    measures[moved.Id] = moved;
                    changed.Add(moved);
                }
            }
            snapshot = snapshot.With(changed, snapshot.Position + 1);
            AssertFindsAsScan(snapshot, measures.Values, controls.Values);
        }
        Assert.True(snapshot.OverlayCount > 0);
        var compacted = snapshot.Compacted();
        Assert.Equal(0, compacted.OverlayCount);
        Assert.Equal(snapshot.Position, compacted.Position);
        AssertFindsAsScan(compacted, measures.Values, controls.Values);
        foreach (var m in measures.Values) Assert.Equal(m.Importer, compacted.TariffMeasure(m.Id)?.Importer);
    }

    [Fact]
    public void A_compacted_snapshot_written_to_a_file_reads_back_with_every_answer()
    {
        var directory = Directory.CreateTempSubdirectory("policyservice-snapshot-").FullName;
        try
        {
            var changed = Seed.TariffMeasures[0] with { Importer = "MX", Origins = ["VN"] };
            var snapshot = PolicySnapshot.Build(Seed.TariffMeasures, Seed.ExportControls, Seed.Truces, 1).With([changed], 2);
            using (var writer = new SnapshotFile.Writer(directory, "test", new SnapshotStamp(2, 42, "tariff_measure", changed.Id, 2)))
            {
                snapshot.Compacted(writer);
            }
            var measures = Seed.TariffMeasures.Select(m => m.Id == changed.Id ? changed : m).ToList();
            using var reader = SnapshotFile.Reader.Open(SnapshotFile.PathFor(directory, "test", 2))!;
            Assert.Equal(new SnapshotStamp(2, 42, "tariff_measure", changed.Id, 2), reader.Stamp);
            var read = PolicySnapshot.Read(reader, Seed.Truces);
            Assert.Equal(2, read.Position);
            AssertFindsAsScan(read, measures, Seed.ExportControls);
            Assert.Equal(Assert.Single(snapshot.Truces("US", "CN")).TariffMeasures.Select(m => m.Id),
                Assert.Single(read.Truces("US", "CN")).TariffMeasures.Select(m => m.Id));
            Assert.Equal("MX", read.TariffMeasure(changed.Id)!.Importer);
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_truce_finds_the_measures_and_controls_its_terms_created()
    {
        var snapshot = PolicySnapshot.Build(Seed.TariffMeasures, Seed.ExportControls, Seed.Truces, 1);
        var bundle = Assert.Single(snapshot.Truces("US", "CN"));
        var terms = bundle.Truce.Terms.Select(t => t.Id).ToHashSet();
        Assert.Equal(Seed.TariffMeasures.Where(m => m.Periods.Any(p => p.TruceTermId is { } t && terms.Contains(t))).Select(m => m.Id).Order(StringComparer.Ordinal),
            bundle.TariffMeasures.Select(m => m.Id));
        Assert.NotEmpty(bundle.TariffMeasures);
        Assert.Equal(Seed.ExportControls.Where(c => c.Periods.Any(p => p.TruceTermId is { } t && terms.Contains(t))).Select(c => c.Id).Order(StringComparer.Ordinal),
            bundle.ExportControls.Select(c => c.Id));
    }

    private static string Pick(Random random) => Jurisdictions[random.Next(Jurisdictions.Length)];

    /// <summary>A scope prefix concerns a code when it is a prefix of the code or a longer prefix that starts with it.</summary>
    private static bool Related(string prefix, string code) =>
        code.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(code, StringComparison.Ordinal);

    private static void AssertFindsAsScan(PolicySnapshot snapshot, IEnumerable<TariffMeasure> measures, IEnumerable<ExportControl> controls)
    {
        var measureList = measures.ToList();
        var controlList = controls.ToList();
        foreach (var importer in Jurisdictions)
        {
            foreach (var origin in Jurisdictions.Where(o => o != importer))
            {
                foreach (var code in Codes)
                {
                    var expected = measureList.Where(m => m.Importer == importer && (m.AllOrigins || m.Origins.Contains(origin))
                            && (m.Scope.AllProducts || m.Scope.HsPrefixes.Any(p => Related(p, code))))
                        .Select(m => m.Id).Order(StringComparer.Ordinal);
                    Assert.Equal(expected, snapshot.TariffCandidates(importer, origin, code).Select(m => m.Id));

                    var item = new ExportItem(code, null);
                    var expectedControls = controlList.Where(c => c.Exporter == importer && (c.AllDestinations || c.Destinations.Contains(origin))
                            && (c.Scope.AllProducts || c.Scope.HsPrefixes.Any(p => Related(p, code))))
                        .Select(c => c.Id).Order(StringComparer.Ordinal);
                    Assert.Equal(expectedControls, snapshot.ExportCandidates(importer, origin, item).Select(c => c.Id));
                }
                foreach (var name in controlList.SelectMany(c => c.Items.Select(i => i.Name)).Distinct())
                {
                    var expected = controlList.Where(c => c.Exporter == importer && (c.AllDestinations || c.Destinations.Contains(origin))
                            && c.Items.Any(i => i.Name == name))
                        .Select(c => c.Id).Order(StringComparer.Ordinal);
                    Assert.Equal(expected, snapshot.ExportCandidates(importer, origin, new ExportItem(null, name)).Select(c => c.Id));
                }
            }
        }
    }
}
