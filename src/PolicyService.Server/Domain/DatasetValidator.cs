namespace PolicyService.Server.Domain;

/// <summary>A broken rule, located by a field path such as "tariffMeasures[3].periods[1].endDate".</summary>
public sealed record DatasetError(string Field, string Message);

/// <summary>Ids that exist outside the records being validated (already stored, or elsewhere in the same batch).</summary>
public sealed record KnownIds(IReadOnlySet<string> Sources, IReadOnlySet<string> TruceTerms, IReadOnlySet<string> Measures)
{
    public static readonly KnownIds None = new(new HashSet<string>(), new HashSet<string>(), new HashSet<string>());
}

/// <summary>Checks records before anything of them is written: ids, references, scopes, rates and period histories.</summary>
public static class DatasetValidator
{
    /// <summary>A whole dataset (the seed): every reference must resolve inside it.</summary>
    public static IReadOnlyList<DatasetError> Validate(PolicyDataset dataset)
    {
        var errors = new List<DatasetError>();
        var sources = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dataset.Sources.Count; i++)
        {
            if (!sources.Add(dataset.Sources[i].Id)) errors.Add(new($"sources[{i}].id", $"duplicate source id '{dataset.Sources[i].Id}'"));
            var urls = dataset.Sources[i].Urls;
            for (var j = 0; j < urls.Count; j++)
            {
                if (!SourceUrls.IsWebUrl(urls[j])) errors.Add(new($"sources[{i}].urls[{j}]", SourceUrls.Rule));
            }
        }
        var known = new KnownIds(
            sources,
            dataset.Truces.SelectMany(t => t.Terms).Select(t => t.Id).ToHashSet(StringComparer.Ordinal),
            dataset.TariffMeasures.Select(m => m.Id).Concat(dataset.ExportControls.Select(c => c.Id)).ToHashSet(StringComparer.Ordinal));

        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Unique(string path, string id)
        {
            if (!ids.Add(id)) errors.Add(new($"{path}.id", $"duplicate id '{id}'"));
        }
        for (var i = 0; i < dataset.TariffMeasures.Count; i++)
        {
            Unique($"tariffMeasures[{i}]", dataset.TariffMeasures[i].Id);
            errors.AddRange(Check(dataset.TariffMeasures[i], $"tariffMeasures[{i}]", known));
        }
        for (var i = 0; i < dataset.ExportControls.Count; i++)
        {
            Unique($"exportControls[{i}]", dataset.ExportControls[i].Id);
            errors.AddRange(Check(dataset.ExportControls[i], $"exportControls[{i}]", known));
        }
        for (var i = 0; i < dataset.Truces.Count; i++)
        {
            var t = dataset.Truces[i];
            Unique($"truces[{i}]", t.Id);
            for (var j = 0; j < t.Terms.Count; j++) Unique($"truces[{i}].terms[{j}]", t.Terms[j].Id);
            for (var j = 0; j < t.Events.Count; j++) Unique($"truces[{i}].events[{j}]", t.Events[j].Id);
            errors.AddRange(Check(t, $"truces[{i}]", known));
        }
        return errors;
    }

    public static IReadOnlyList<DatasetError> Check(TariffMeasure m, string path, KnownIds known)
    {
        var v = new Rules(path, known);
        v.Id(m.Id);
        v.Sources(m.SourceIds);
        v.Jurisdiction("importer", m.Importer);
        foreach (var o in m.Origins) v.Jurisdiction("origins", o);
        if (!m.AllOrigins && m.Origins.Count == 0) v.Fail("origins", "name the origins or set allOrigins");
        v.Scope(m.Scope);
        v.Periods(m.Periods, p => p.TruceTermId);
        for (var j = 0; j < m.Periods.Count; j++)
        {
            v.Percent($"periods[{j}].adValoremPercent", m.Periods[j].AdValoremPercent);
            v.Percent($"periods[{j}].suspendedPercent", m.Periods[j].SuspendedPercent);
            v.Basis($"periods[{j}]", m.Periods[j]);
        }
        foreach (var rule in m.ExcludedBy.Where(r => !known.Measures.Contains(r.MeasureId)))
            v.Fail("excludedBy", $"unknown measure '{rule.MeasureId}'");
        for (var j = 0; j < m.ExcludedBy.Count; j++)
        {
            if (!Enum.IsDefined(m.ExcludedBy[j].Effect)) v.Fail($"excludedBy[{j}].effect", "is not a known stacking effect");
        }
        return v.Errors;
    }

    public static IReadOnlyList<DatasetError> Check(ExportControl c, string path, KnownIds known)
    {
        var v = new Rules(path, known);
        v.Id(c.Id);
        v.Sources(c.SourceIds);
        v.Jurisdiction("exporter", c.Exporter);
        foreach (var d in c.Destinations) v.Jurisdiction("destinations", d);
        if (!c.AllDestinations && c.Destinations.Count == 0) v.Fail("destinations", "name the destinations or set allDestinations");
        v.Scope(c.Scope);
        v.Periods(c.Periods, p => p.TruceTermId);
        foreach (var item in c.Items.Where(item => item.Name.Length == 0 || !string.Equals(item.Name, item.Name.Trim().ToLowerInvariant(), StringComparison.Ordinal)))
            v.Fail("items", $"item name '{item.Name}' must be lower-case, trimmed and not empty");
        return v.Errors;
    }

    public static IReadOnlyList<DatasetError> Check(Truce t, string path, KnownIds known)
    {
        var v = new Rules(path, known);
        v.Id(t.Id);
        v.Sources(t.SourceIds);
        foreach (var p in t.Parties) v.Jurisdiction("parties", p);
        if (t.Parties.Count < 2) v.Fail("parties", "a truce has at least two parties");
        if (t.Extensions.Count == 0) v.Fail("extensions", "at least one window is required");
        for (var j = 0; j < t.Extensions.Count; j++)
        {
            var e = t.Extensions[j];
            if (e.ExpiryDate <= e.StartDate) v.Fail($"extensions[{j}].expiryDate", "must be after startDate");
            if (j > 0 && e.StartDate < t.Extensions[j - 1].ExpiryDate) v.Fail($"extensions[{j}].startDate", "overlaps the previous window");
        }
        for (var j = 0; j < t.Terms.Count; j++)
        {
            var term = new Rules($"{path}.terms[{j}]", known);
            term.Id(t.Terms[j].Id);
            term.Sources(t.Terms[j].SourceIds);
            foreach (var m in t.Terms[j].MeasureIds.Where(m => !known.Measures.Contains(m)))
                term.Fail("measureIds", $"unknown measure '{m}'");
            v.Errors.AddRange(term.Errors);
        }
        for (var j = 0; j < t.Events.Count; j++)
        {
            var ev = new Rules($"{path}.events[{j}]", known);
            ev.Id(t.Events[j].Id);
            ev.Sources(t.Events[j].SourceIds);
            v.Errors.AddRange(ev.Errors);
        }
        return v.Errors;
    }

    /// <summary>The rules shared by every kind of record, collecting errors under one path.</summary>
    private sealed class Rules(string path, KnownIds known)
    {
        public List<DatasetError> Errors { get; } = [];

        public void Fail(string field, string message) => Errors.Add(new($"{path}.{field}", message));

        public void Id(string id)
        {
            if (string.IsNullOrWhiteSpace(id)) Fail("id", "is required");
            else if (id.Length > 64 || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) Fail("id", "must be at most 64 characters without spaces");
        }

        public void Sources(IReadOnlyList<string> ids)
        {
            if (ids.Count == 0) Fail("sourceIds", "at least one source is required");
            foreach (var s in ids.Where(s => !known.Sources.Contains(s))) Fail("sourceIds", $"unknown source '{s}'");
        }

        public void Jurisdiction(string field, string code)
        {
            if (!Domain.Jurisdiction.IsAssigned(code)) Fail(field, $"'{code}' is not an ISO 3166-1 alpha-2 code");
        }

        public void Scope(ProductScope scope)
        {
            foreach (var p in scope.HsPrefixes.Concat(scope.ExcludedHsPrefixes).Where(p => !HsCode.IsValidPrefix(p)))
                Fail("scope.hsPrefixes", $"'{p}' is not an HS prefix of 2, 4, 6, 8 or 10 digits");
            for (var i = 0; i < scope.DatedExclusions.Count; i++)
            {
                var x = scope.DatedExclusions[i];
                if (!HsCode.IsValidPrefix(x.HsPrefix))
                    Fail($"scope.datedExclusions[{i}].hsPrefix", $"'{x.HsPrefix}' is not an HS prefix of 2, 4, 6, 8 or 10 digits");
                if (x is { StartDate: { } start, EndDate: { } end } && end <= start)
                    Fail($"scope.datedExclusions[{i}].endDate", "must be after startDate (the first day no longer excluded)");
            }
        }

        public void Percent(string field, decimal? rate)
        {
            if (rate is { } r && (r < 0 || r > 10000 || decimal.Round(r, 2) != r))
                Fail(field, "must be a percent from 0 to 10000 with at most two decimals");
        }

        /// <summary>A basis other than the full value, or a condition, qualifies a rate: without one there is nothing to qualify.</summary>
        public void Basis(string period, TariffPeriod p)
        {
            if (!Enum.IsDefined(p.RateBasis)) Fail($"{period}.rateBasis", "is not a known rate basis");
            else if (p.RateBasis != RateBasis.FullValue && p.AdValoremPercent is null)
                Fail($"{period}.rateBasis", "a basis other than the full value needs an adValoremPercent to charge on it");
            if (p.Conditions.Count > MaxConditions) Fail($"{period}.conditions", $"at most {MaxConditions} conditions");
            for (var i = 0; i < p.Conditions.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(p.Conditions[i])) Fail($"{period}.conditions[{i}]", "must not be empty");
                else if (p.Conditions[i].Length > MaxConditionLength) Fail($"{period}.conditions[{i}]", $"must be at most {MaxConditionLength} characters");
            }
        }

        private const int MaxConditions = 16;
        private const int MaxConditionLength = 600;

        public void Periods<T>(IReadOnlyList<T> periods, Func<T, string?> truceTerm) where T : IPeriod
        {
            if (periods.Count == 0) Fail("periods", "at least one period is required");
            for (var i = 0; i < periods.Count; i++)
            {
                var p = periods[i];
                if (p.EndDate is { } end && end <= p.StartDate) Fail($"periods[{i}].endDate", "must be after startDate");
                if (i > 0 && periods[i - 1].EndDate is null) Fail($"periods[{i}].startDate", "follows an open-ended period");
                else if (i > 0 && p.StartDate < periods[i - 1].EndDate) Fail($"periods[{i}].startDate", "overlaps the previous period");
                if (truceTerm(p) is { } term && !known.TruceTerms.Contains(term)) Fail($"periods[{i}].truceTermId", $"unknown truce term '{term}'");
            }
        }
    }
}
