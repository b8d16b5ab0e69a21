namespace PolicyService.Server.Domain;

/// <summary>A broken rule in a dataset, located by a field path such as "tariffMeasures[3].periods[1].endDate".</summary>
public sealed record DatasetError(string Field, string Message);

/// <summary>Checks a dataset before anything of it is written: ids, references, scopes, rates and period histories.</summary>
public static class DatasetValidator
{
    public static IReadOnlyList<DatasetError> Validate(PolicyDataset dataset)
    {
        var errors = new List<DatasetError>();
        void Fail(string field, string message) => errors.Add(new DatasetError(field, message));

        var sources = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dataset.Sources.Count; i++)
        {
            if (!sources.Add(dataset.Sources[i].Id)) Fail($"sources[{i}].id", $"duplicate source id '{dataset.Sources[i].Id}'");
        }

        var terms = dataset.Truces.SelectMany(t => t.Terms).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);

        void CheckRecord(string path, string id, IReadOnlyList<string> sourceIds)
        {
            if (string.IsNullOrWhiteSpace(id)) Fail($"{path}.id", "id is required");
            else if (!ids.Add(id)) Fail($"{path}.id", $"duplicate id '{id}'");
            if (sourceIds.Count == 0) Fail($"{path}.sourceIds", "at least one source is required");
            foreach (var s in sourceIds.Where(s => !sources.Contains(s))) Fail($"{path}.sourceIds", $"unknown source '{s}'");
        }

        void CheckJurisdiction(string path, string code)
        {
            if (!Jurisdiction.IsAssigned(code)) Fail(path, $"'{code}' is not an ISO 3166-1 alpha-2 code");
        }

        void CheckScope(string path, ProductScope scope)
        {
            foreach (var p in scope.HsPrefixes.Concat(scope.ExcludedHsPrefixes).Where(p => !HsCode.IsValidPrefix(p)))
                Fail($"{path}.hsPrefixes", $"'{p}' is not an HS prefix of 2, 4, 6, 8 or 10 digits");
        }

        void CheckPeriods<T>(string path, IReadOnlyList<T> periods, Func<T, string?> truceTerm) where T : IPeriod
        {
            if (periods.Count == 0) Fail(path, "at least one period is required");
            for (var i = 0; i < periods.Count; i++)
            {
                var p = periods[i];
                if (p.EndDate is { } end && end <= p.StartDate) Fail($"{path}[{i}].endDate", "must be after startDate");
                if (i > 0 && periods[i - 1].EndDate is not { } previousEnd)
                    Fail($"{path}[{i}].startDate", "follows an open-ended period");
                else if (i > 0 && p.StartDate < periods[i - 1].EndDate)
                    Fail($"{path}[{i}].startDate", "overlaps the previous period");
                if (truceTerm(p) is { } term && !terms.Contains(term)) Fail($"{path}[{i}].truceTermId", $"unknown truce term '{term}'");
            }
        }

        for (var i = 0; i < dataset.TariffMeasures.Count; i++)
        {
            var m = dataset.TariffMeasures[i];
            var path = $"tariffMeasures[{i}]";
            CheckRecord(path, m.Id, m.SourceIds);
            CheckJurisdiction($"{path}.importer", m.Importer);
            foreach (var o in m.Origins) CheckJurisdiction($"{path}.origins", o);
            if (!m.AllOrigins && m.Origins.Count == 0) Fail($"{path}.origins", "name the origins or set allOrigins");
            CheckScope($"{path}.scope", m.Scope);
            CheckPeriods($"{path}.periods", m.Periods, p => p.TruceTermId);
            for (var j = 0; j < m.Periods.Count; j++)
            {
                foreach (var (field, rate) in new[] { ("adValoremPercent", m.Periods[j].AdValoremPercent), ("suspendedPercent", m.Periods[j].SuspendedPercent) })
                {
                    if (rate is { } r && (r < 0 || decimal.Round(r, 2) != r))
                        Fail($"{path}.periods[{j}].{field}", "must be a non-negative percent with at most two decimals");
                }
            }
        }

        for (var i = 0; i < dataset.ExportControls.Count; i++)
        {
            var c = dataset.ExportControls[i];
            var path = $"exportControls[{i}]";
            CheckRecord(path, c.Id, c.SourceIds);
            CheckJurisdiction($"{path}.exporter", c.Exporter);
            foreach (var d in c.Destinations) CheckJurisdiction($"{path}.destinations", d);
            if (!c.AllDestinations && c.Destinations.Count == 0) Fail($"{path}.destinations", "name the destinations or set allDestinations");
            CheckScope($"{path}.scope", c.Scope);
            CheckPeriods($"{path}.periods", c.Periods, p => p.TruceTermId);
            foreach (var item in c.Items.Where(item => !string.Equals(item.Name, item.Name.Trim().ToLowerInvariant(), StringComparison.Ordinal) || item.Name.Length == 0))
                Fail($"{path}.items", $"item name '{item.Name}' must be lower-case and trimmed");
        }

        var measureIds = dataset.TariffMeasures.Select(m => m.Id).Concat(dataset.ExportControls.Select(c => c.Id)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < dataset.TariffMeasures.Count; i++)
        {
            foreach (var rule in dataset.TariffMeasures[i].ExcludedBy.Where(r => !measureIds.Contains(r.MeasureId)))
                Fail($"tariffMeasures[{i}].excludedBy", $"unknown measure '{rule.MeasureId}'");
        }

        for (var i = 0; i < dataset.Truces.Count; i++)
        {
            var t = dataset.Truces[i];
            var path = $"truces[{i}]";
            CheckRecord(path, t.Id, t.SourceIds);
            foreach (var p in t.Parties) CheckJurisdiction($"{path}.parties", p);
            if (t.Extensions.Count == 0) Fail($"{path}.extensions", "at least one window is required");
            for (var j = 0; j < t.Extensions.Count; j++)
            {
                var e = t.Extensions[j];
                if (e.ExpiryDate <= e.StartDate) Fail($"{path}.extensions[{j}].expiryDate", "must be after startDate");
                if (j > 0 && e.StartDate < t.Extensions[j - 1].ExpiryDate) Fail($"{path}.extensions[{j}].startDate", "overlaps the previous window");
            }
            for (var j = 0; j < t.Terms.Count; j++)
            {
                CheckRecord($"{path}.terms[{j}]", t.Terms[j].Id, t.Terms[j].SourceIds);
                foreach (var m in t.Terms[j].MeasureIds.Where(m => !measureIds.Contains(m)))
                    Fail($"{path}.terms[{j}].measureIds", $"unknown measure '{m}'");
            }
            for (var j = 0; j < t.Events.Count; j++) CheckRecord($"{path}.events[{j}]", t.Events[j].Id, t.Events[j].SourceIds);
        }
        return errors;
    }
}
