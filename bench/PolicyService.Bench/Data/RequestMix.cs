using Google.Type;
using PolicyService.Server.Domain;
using TradePolicy.V1;

namespace PolicyService.Bench.Data;

/// <summary>
/// The distinct requests a load test cycles through. About half aim at a stored record (a code under its scope, one of
/// its origins, a date inside one of its periods), so answers are not all empty; the rest are random lanes, codes and
/// dates, as a caller pricing arbitrary products would send; one in ten asks about US imports from China, the lane the
/// sourced seed data covers.
/// </summary>
public static class RequestMix
{
    private static readonly DateOnly First = new(2018, 1, 1);
    private const int Days = 365 * 9;

    public static List<LookupDutyRequest> Duty(SyntheticPolicy data, int measures, int count, int seed)
    {
        var random = new Random(seed);
        var lines = data.Nomenclature.Lines;
        var seen = new HashSet<(string, string, string, DateOnly)>();
        var requests = new List<LookupDutyRequest>(count);
        while (requests.Count < count)
        {
            string importer, origin, code;
            DateOnly asOf;
            var roll = random.Next(10);
            if (roll < 5 && measures > 0)
            {
                var m = data.TariffMeasure(random.Next(measures));
                importer = m.Importer;
                origin = m.AllOrigins ? SyntheticPolicy.Origins[random.Next(SyntheticPolicy.Origins.Length)] : m.Origins[random.Next(m.Origins.Count)];
                if (origin == importer) continue;
                var under = data.Nomenclature.LinesUnder(m.Scope.HsPrefixes[random.Next(m.Scope.HsPrefixes.Count)]);
                code = under[random.Next(under.Length)];
                var period = m.Periods[random.Next(m.Periods.Count)];
                var span = Math.Max(1, (period.EndDate ?? period.StartDate.AddDays(720)).DayNumber - period.StartDate.DayNumber);
                asOf = period.StartDate.AddDays(random.Next(span));
            }
            else
            {
                (importer, origin) = roll == 9 ? ("US", "CN") : (data.RandomImporter(random, measures),
                    SyntheticPolicy.Origins[random.Next(SyntheticPolicy.Origins.Length)]);
                if (origin == importer) continue;
                code = lines[random.Next(lines.Count)];
                asOf = First.AddDays(random.Next(Days));
            }
            if (!seen.Add((importer, origin, code, asOf))) continue;
            requests.Add(new LookupDutyRequest { Importer = importer, Origin = origin, HsCode = Display(code, random), AsOf = ToDate(asOf) });
        }
        return requests;
    }

    public static List<CheckExportRequest> Export(SyntheticPolicy data, int controls, int count, int seed)
    {
        var random = new Random(seed);
        var lines = data.Nomenclature.Lines;
        var seen = new HashSet<(string, string, string, DateOnly)>();
        var requests = new List<CheckExportRequest>(count);
        while (requests.Count < count)
        {
            string exporter, destination, item;
            DateOnly asOf;
            if (random.Next(10) < 6 && controls > 0)
            {
                var c = data.ExportControl(random.Next(controls));
                exporter = c.Exporter;
                destination = c.AllDestinations ? SyntheticPolicy.Origins[random.Next(SyntheticPolicy.Origins.Length)] : c.Destinations[random.Next(c.Destinations.Count)];
                if (random.Next(2) == 0)
                {
                    item = c.Items[random.Next(c.Items.Count)].Name;
                }
                else
                {
                    var under = data.Nomenclature.LinesUnder(c.Scope.HsPrefixes[random.Next(c.Scope.HsPrefixes.Count)]);
                    item = under[random.Next(under.Length)];
                }
                var period = c.Periods[random.Next(c.Periods.Count)];
                var span = Math.Max(1, (period.EndDate ?? period.StartDate.AddDays(720)).DayNumber - period.StartDate.DayNumber);
                asOf = period.StartDate.AddDays(random.Next(span));
            }
            else
            {
                exporter = data.RandomImporter(random, controls * 10);
                destination = SyntheticPolicy.Origins[random.Next(SyntheticPolicy.Origins.Length)];
                item = random.Next(3) == 0 ? "gallium" : lines[random.Next(lines.Count)];
                asOf = First.AddDays(random.Next(Days));
            }
            if (destination == exporter || !seen.Add((exporter, destination, item, asOf))) continue;
            requests.Add(new CheckExportRequest { Exporter = exporter, Destination = destination, Item = item, AsOf = ToDate(asOf) });
        }
        return requests;
    }

    public static Date ToDate(DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    public static DateOnly FromDate(Date d) => new(d.Year, d.Month, d.Day);

    // Callers write codes as they find them: "8507600020", "8507.60.00.20" or "8507.60.0020".
    private static string Display(string code, Random random) => random.Next(3) switch
    {
        0 => code,
        1 => $"{code[..4]}.{code[4..6]}.{code[6..8]}.{code[8..]}",
        _ => $"{code[..4]}.{code[4..6]}.{code[6..]}",
    };
}
