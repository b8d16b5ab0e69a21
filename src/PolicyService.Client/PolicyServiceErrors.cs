using Google.Rpc;
using Grpc.Core;

namespace PolicyService.Client;

/// <summary>
/// Reads the details PolicyService attaches to its errors (a <c>google.rpc.Status</c>): one <see cref="ErrorInfo"/>
/// in the <see cref="Domain"/> domain, and for bad input a <see cref="BadRequest"/> naming every bad field.
/// </summary>
public static class PolicyServiceErrors
{
    /// <summary>The <see cref="ErrorInfo.Domain"/> of PolicyService errors: <c>tradepolicy.v1</c>.</summary>
    public const string Domain = "tradepolicy.v1";

    /// <summary>Reason of INVALID_ARGUMENT: the request named a bad field; see <see cref="GetFieldViolations"/>.</summary>
    public const string InvalidArgumentReason = "INVALID_ARGUMENT";

    /// <summary>Reason of NOT_FOUND: no record has the requested id (<c>resource_type</c> and <c>id</c> are in the metadata).</summary>
    public const string ResourceNotFoundReason = "RESOURCE_NOT_FOUND";

    /// <summary>Reason of ABORTED: the record changed since the etag was read; <c>current_etag</c> is in the metadata. Re-read and retry.</summary>
    public const string EtagMismatchReason = "ETAG_MISMATCH";

    /// <summary>Reason of ALREADY_EXISTS: a record with the id to create exists already.</summary>
    public const string AlreadyExistsReason = "ALREADY_EXISTS";

    /// <summary>Reason of UNAVAILABLE: the service could not reach its database. Safe to retry; the client already did.</summary>
    public const string DatabaseUnavailableReason = "DATABASE_UNAVAILABLE";

    /// <summary>
    /// Why a call failed, as the contract's <see cref="TradePolicy.V1.ErrorReason"/> (the reason constants above are its
    /// names); <see cref="TradePolicy.V1.ErrorReason.Unspecified"/> when the error carries no PolicyService ErrorInfo.
    /// </summary>
    /// <param name="exception">The failure of a PolicyService call.</param>
    /// <returns>The reason, e.g. <see cref="TradePolicy.V1.ErrorReason.EtagMismatch"/>.</returns>
    public static TradePolicy.V1.ErrorReason GetErrorReason(this RpcException exception) =>
        exception.GetErrorInfo() is { Domain: Domain } info ? TradePolicy.V1.ErrorReasons.Parse(info.Reason) : TradePolicy.V1.ErrorReason.Unspecified;

    /// <summary>The <see cref="ErrorInfo"/> of a failed call, or <see langword="null"/> when the error carries none (e.g. a deadline that passed on the client).</summary>
    /// <param name="exception">The failure of a PolicyService call.</param>
    /// <returns>The reason, domain and metadata of the error, or <see langword="null"/>.</returns>
    public static ErrorInfo? GetErrorInfo(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetRpcStatus()?.GetDetail<ErrorInfo>();
    }

    /// <summary>The fields a failed call's request got wrong, each with a description; empty unless the status is INVALID_ARGUMENT.</summary>
    /// <param name="exception">The failure of a PolicyService call.</param>
    /// <returns>Field names as in the proto (<c>hs_code</c>, <c>as_of</c>, …) with what is wrong with each.</returns>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> GetFieldViolations(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
    }

    /// <summary>Whether a failed call named this request field as bad, e.g. <c>e.IsInvalidField("hs_code")</c>.</summary>
    /// <param name="exception">The failure of a PolicyService call.</param>
    /// <param name="field">A field name as in the proto (<c>lower_snake_case</c>).</param>
    /// <returns><see langword="true"/> when the status is INVALID_ARGUMENT and its details name the field.</returns>
    public static bool IsInvalidField(this RpcException exception, string field)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(field);
        return exception.StatusCode == StatusCode.InvalidArgument
            && exception.GetFieldViolations().Any(v => string.Equals(v.Field, field, StringComparison.Ordinal));
    }
}
