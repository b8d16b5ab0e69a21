using System.Text.Json.Serialization;

namespace PolicyService.Server.Domain;

// Member names mirror the proto enums (without their type prefix) so seed files and the wire read alike.

[JsonConverter(typeof(JsonStringEnumConverter<Confidence>))]
public enum Confidence
{
    [JsonStringEnumMemberName("CONFIRMED")] Confirmed = 1,
    [JsonStringEnumMemberName("REPORTED")] Reported = 2,
    [JsonStringEnumMemberName("UNCONFIRMED")] Unconfirmed = 3,
}

[JsonConverter(typeof(JsonStringEnumConverter<PeriodStatus>))]
public enum PeriodStatus
{
    [JsonStringEnumMemberName("ANNOUNCED")] Announced = 1,
    [JsonStringEnumMemberName("IN_FORCE")] InForce = 2,
    [JsonStringEnumMemberName("SUSPENDED")] Suspended = 3,
    [JsonStringEnumMemberName("EXPIRED")] Expired = 4,
    [JsonStringEnumMemberName("REVOKED")] Revoked = 5,
}

[JsonConverter(typeof(JsonStringEnumConverter<TariffKind>))]
public enum TariffKind
{
    [JsonStringEnumMemberName("MFN")] Mfn = 1,
    [JsonStringEnumMemberName("SECTION_301")] Section301 = 2,
    [JsonStringEnumMemberName("SECTION_232")] Section232 = 3,
    [JsonStringEnumMemberName("IEEPA_FENTANYL")] IeepaFentanyl = 4,
    [JsonStringEnumMemberName("IEEPA_RECIPROCAL")] IeepaReciprocal = 5,
    [JsonStringEnumMemberName("RETALIATORY")] Retaliatory = 6,
    [JsonStringEnumMemberName("ANTIDUMPING")] Antidumping = 7,
    [JsonStringEnumMemberName("OTHER")] Other = 8,
    [JsonStringEnumMemberName("SECTION_122")] Section122 = 9,
}

[JsonConverter(typeof(JsonStringEnumConverter<ExportControlType>))]
public enum ExportControlType
{
    [JsonStringEnumMemberName("LICENSE_REQUIRED")] LicenseRequired = 1,
    [JsonStringEnumMemberName("PROHIBITED")] Prohibited = 2,
    [JsonStringEnumMemberName("END_USER_CONTROL")] EndUserControl = 3,
    [JsonStringEnumMemberName("ENTITY_RESTRICTION")] EntityRestriction = 4,
    [JsonStringEnumMemberName("FACILITATION")] Facilitation = 5,
    [JsonStringEnumMemberName("OTHER")] Other = 6,
}

[JsonConverter(typeof(JsonStringEnumConverter<TruceTermType>))]
public enum TruceTermType
{
    [JsonStringEnumMemberName("SUSPEND_MEASURE")] SuspendMeasure = 1,
    [JsonStringEnumMemberName("REDUCE_MEASURE")] ReduceMeasure = 2,
    [JsonStringEnumMemberName("PURCHASE")] Purchase = 3,
    [JsonStringEnumMemberName("COOPERATE")] Cooperate = 4,
    [JsonStringEnumMemberName("FRAMEWORK")] Framework = 5,
}

/// <summary>What a duty's rate is charged on: the whole article's value, or only a part of it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RateBasis>))]
public enum RateBasis
{
    [JsonStringEnumMemberName("FULL_VALUE")] FullValue = 1,
    [JsonStringEnumMemberName("METAL_CONTENT")] MetalContent = 2,
    [JsonStringEnumMemberName("NON_METAL_CONTENT")] NonMetalContent = 3,
}

/// <summary>What a stacking rule does to the measure carrying it when the rule's measure applies too.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StackingEffect>))]
public enum StackingEffect
{
    /// <summary>Left out of the total.</summary>
    [JsonStringEnumMemberName("EXCLUDE")] Exclude = 1,

    /// <summary>When the other measure is charged on the metal content, this one applies only to the rest of the value.</summary>
    [JsonStringEnumMemberName("NON_METAL_PART_ONLY")] NonMetalPartOnly = 2,
}
