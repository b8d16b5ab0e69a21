using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using PolicyService.Bench.Data;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Seed;
using TradePolicy.V1;
using ExportControl = PolicyService.Server.Domain.ExportControl;
using TariffMeasure = PolicyService.Server.Domain.TariffMeasure;

namespace PolicyService.Bench.Load;

/// <summary>The outcome of checking sampled answers: how many were right, and what the first wrong one said.</summary>
public sealed record SampleCheck(int Checked, int Correct, int NonEmpty, IReadOnlyList<string> Mismatches)
{
    public bool Passed => Checked > 0 && Correct == Checked;
}

/// <summary>
/// Checks a sample of the load's requests with a real gRPC client (which reads the trailers, so grpc-status is seen)
/// against answers computed here, in memory, from the generator's own records and the seed: every record of the data set
/// is rebuilt and matched by importer and HS prefix without the database, then the same domain query resolves dates and
/// stacking. A wrong candidate set, rate, date or mapping in the server shows up as a mismatch.
/// </summary>
public static class AnswerCheck
{
    // The sourced records as the server holds them after the shipped change documents (the 2026 update creates,
    // updates and changes the status of some): read one by one by id with GetTariffMeasure/GetExportControl, a path
    // apart from the lookups under test, and turned back into domain records the way the admin API reads them.
    private static async Task<List<TariffMeasure>> SeedMeasuresAsync(GrpcChannel channel, CancellationToken ct)
    {
        var client = new TariffService.TariffServiceClient(channel);
        var measures = new List<TariffMeasure>();
        foreach (var id in SeedIds(SeedData.Load().TariffMeasures.Select(m => m.Id), c => c.CreateTariffMeasure?.Id))
        {
            var proto = (await client.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = id }, cancellationToken: ct)).TariffMeasure;
            measures.Add(new PolicyService.Server.Api.ProtoReader(new PolicyService.Server.Api.RequestValidation()).Read(proto, "tariff_measure"));
        }
        return measures;
    }

    private static async Task<List<ExportControl>> SeedControlsAsync(GrpcChannel channel, CancellationToken ct)
    {
        var client = new ExportControlService.ExportControlServiceClient(channel);
        var controls = new List<ExportControl>();
        foreach (var id in SeedIds(SeedData.Load().ExportControls.Select(c => c.Id), c => c.CreateExportControl?.Id))
        {
            var proto = (await client.GetExportControlAsync(new GetExportControlRequest { Id = id }, cancellationToken: ct)).ExportControl;
            controls.Add(new PolicyService.Server.Api.ProtoReader(new PolicyService.Server.Api.RequestValidation()).Read(proto, "export_control"));
        }
        return controls;
    }

    private static IEnumerable<string> SeedIds(IEnumerable<string> seeded, Func<PolicyChange, string?> created) =>
        seeded.Concat(SeedUpdates.ResourceNames.SelectMany(n => SeedUpdates.Load(n).Changes).Select(created).OfType<string>()).Distinct();

    /// <summary>The mean size on the wire of the samples' answers in the FULL and the BASIC view.</summary>
    public static async Task<(double Full, double Basic)> AnswerSizesAsync(GrpcChannel channel, IReadOnlyList<LookupDutyRequest> samples, CancellationToken ct)
    {
        var client = new TariffService.TariffServiceClient(channel);
        long full = 0, basic = 0;
        foreach (var sample in samples)
        {
            full += (await client.LookupDutyAsync(new LookupDutyRequest(sample) { View = DutyView.Full }, cancellationToken: ct)).CalculateSize();
            basic += (await client.LookupDutyAsync(new LookupDutyRequest(sample) { View = DutyView.Basic }, cancellationToken: ct)).CalculateSize();
        }
        return samples.Count == 0 ? (0, 0) : ((double)full / samples.Count, (double)basic / samples.Count);
    }

    public static async Task<SampleCheck> DutyAsync(GrpcChannel channel, SyntheticPolicy data, int measures, IReadOnlyList<LookupDutyRequest> samples, CancellationToken ct)
    {
        var keys = samples.Select(s => (s.Importer, s.Origin, Code: Normalize(s.HsCode), AsOf: RequestMix.FromDate(s.AsOf))).ToArray();
        var candidates = keys.Select(_ => new ConcurrentBag<TariffMeasure>()).ToArray();
        void Consider(TariffMeasure m)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (m.Importer == keys[i].Importer && HsCode.IsCoveredOnSomeDate(m.Scope, keys[i].Code, out _)) candidates[i].Add(m);
            }
        }
        foreach (var m in await SeedMeasuresAsync(channel, ct)) Consider(m);
        Parallel.For(0, measures, new ParallelOptions { CancellationToken = ct }, i => Consider(data.TariffMeasure(i)));

        var client = new TariffService.TariffServiceClient(channel);
        var mismatches = new List<string>();
        int correct = 0, nonEmpty = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var expected = DutyLookup.Resolve(candidates[i], keys[i].Importer, keys[i].Origin, keys[i].Code, keys[i].AsOf);
            using var call = client.LookupDutyAsync(samples[i], deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
            LookupDutyResponse actual;
            try
            {
                actual = await call.ResponseAsync;
            }
            catch (RpcException e)
            {
                mismatches.Add($"{Describe(samples[i])}: grpc-status {(int)e.StatusCode} {e.Status.Detail}");
                continue;
            }
            var status = call.GetStatus();
            var problems = new List<string>();
            if (status.StatusCode != StatusCode.OK) problems.Add($"grpc-status {(int)status.StatusCode}");
            Compare(problems, "total", Percent.Format(expected.TotalAdValoremPercent), actual.TotalAdValoremPercent);
            Compare(problems, "layers", Ids(expected.Layers), string.Join(",", actual.Layers.Select(l => $"{l.MeasureId}@{l.AdValoremPercent}")));
            Compare(problems, "announced", string.Join(",", expected.Announced.Select(l => l.Measure.Id)), string.Join(",", actual.AnnouncedMeasures.Select(l => l.MeasureId)));
            Compare(problems, "excluded", string.Join(",", expected.Excluded.Select(x => $"{x.Layer.Measure.Id}<{x.ExcludedByMeasureId}")),
                string.Join(",", actual.ExcludedLayers.Select(x => $"{x.Layer.MeasureId}<{x.ExcludedByMeasureId}")));
            Compare(problems, "non-ad-valorem", string.Join(",", expected.NonAdValorem.Select(l => l.Measure.Id)), string.Join(",", actual.NonAdValoremMeasures.Select(l => l.MeasureId)));
            if (problems.Count == 0) correct++;
            else mismatches.Add($"{Describe(samples[i])}: {string.Join("; ", problems)}");
            if (actual.Layers.Count + actual.AnnouncedMeasures.Count + actual.NonAdValoremMeasures.Count > 0) nonEmpty++;
        }
        return new SampleCheck(samples.Count, correct, nonEmpty, mismatches);
    }

    public static async Task<SampleCheck> ExportAsync(GrpcChannel channel, SyntheticPolicy data, int controls, IReadOnlyList<CheckExportRequest> samples, CancellationToken ct)
    {
        var items = samples.Select(s => s.Item.Any(char.IsAsciiDigit) ? new ExportItem(Normalize(s.Item), null) : new ExportItem(null, s.Item)).ToArray();
        var candidates = samples.Select(_ => new ConcurrentBag<ExportControl>()).ToArray();
        void Consider(ExportControl c)
        {
            for (var i = 0; i < samples.Count; i++)
            {
                if (c.Exporter == samples[i].Exporter && ExportCheck.MatchItem(c, items[i], asOf: null) is not null) candidates[i].Add(c);
            }
        }
        foreach (var c in await SeedControlsAsync(channel, ct)) Consider(c);
        Parallel.For(0, controls, new ParallelOptions { CancellationToken = ct }, i => Consider(data.ExportControl(i)));

        var client = new ExportControlService.ExportControlServiceClient(channel);
        var mismatches = new List<string>();
        int correct = 0, nonEmpty = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            var expected = ExportCheck.Resolve(candidates[i], s.Exporter, s.Destination, items[i], RequestMix.FromDate(s.AsOf));
            using var call = client.CheckExportAsync(s, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
            CheckExportResponse actual;
            try
            {
                actual = await call.ResponseAsync;
            }
            catch (RpcException e)
            {
                mismatches.Add($"{s.Exporter}->{s.Destination} {s.Item}: grpc-status {(int)e.StatusCode} {e.Status.Detail}");
                continue;
            }
            var problems = new List<string>();
            if (call.GetStatus().StatusCode != StatusCode.OK) problems.Add($"grpc-status {(int)call.GetStatus().StatusCode}");
            Compare(problems, "licence", expected.LicenseRequired.ToString(), actual.LicenseRequired.ToString());
            Compare(problems, "prohibited", expected.Prohibited.ToString(), actual.Prohibited.ToString());
            Compare(problems, "in force", string.Join(",", expected.InForce.Select(m => m.Control.Id)), string.Join(",", actual.ControlsInForce.Select(m => m.ControlId)));
            Compare(problems, "suspended", string.Join(",", expected.Suspended.Select(m => m.Control.Id)), string.Join(",", actual.ControlsSuspended.Select(m => m.ControlId)));
            Compare(problems, "announced", string.Join(",", expected.Announced.Select(m => m.Control.Id)), string.Join(",", actual.ControlsAnnounced.Select(m => m.ControlId)));
            if (problems.Count == 0) correct++;
            else mismatches.Add($"{s.Exporter}->{s.Destination} {s.Item} {RequestMix.FromDate(s.AsOf)}: {string.Join("; ", problems)}");
            if (actual.ControlsInForce.Count + actual.ControlsSuspended.Count + actual.ControlsAnnounced.Count > 0) nonEmpty++;
        }
        return new SampleCheck(samples.Count, correct, nonEmpty, mismatches);
    }

    private static string Ids(IEnumerable<Server.Queries.DutyLayer> layers) => string.Join(",", layers.Select(l => $"{l.Measure.Id}@{Percent.Format(l.Period.AdValoremPercent)}"));

    private static void Compare(List<string> problems, string what, string expected, string actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal)) problems.Add($"{what}: expected [{expected}], got [{actual}]");
    }

    private static string Normalize(string code) => HsCode.TryNormalize(code, out var digits) ? digits : throw new ArgumentException($"'{code}' is not an HS code.");

    private static string Describe(LookupDutyRequest r) => $"{r.Importer}<-{r.Origin} {r.HsCode} {RequestMix.FromDate(r.AsOf)}";
}
