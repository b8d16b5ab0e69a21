namespace PolicyService.Server.Domain;

/// <summary>One broken field rule, named by its proto path ("changes[2].create_tariff_measure.periods[1].end_date").</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>Collects every field violation of a request or change, then throws them together.</summary>
public class FieldViolations
{
    private readonly List<FieldViolation> _violations = [];

    public void Fail(string field, string description) => _violations.Add(new FieldViolation(field, description));

    public void ThrowIfInvalid()
    {
        if (_violations.Count > 0) throw new InvalidRequestException([.. _violations]);
    }
}
