using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace PolicyService.Client.UnitTests;

public class PolicyServiceErrorsTests
{
    private static RpcException InvalidArgument(params string[] fields)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(fields.Select(f => new BadRequest.Types.FieldViolation { Field = f, Description = f + " is wrong" }));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "bad request",
            Details = { Any.Pack(new ErrorInfo { Reason = PolicyServiceErrors.InvalidArgumentReason, Domain = PolicyServiceErrors.Domain }), Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }

    [Fact]
    public void Field_violations_and_error_info_are_read_from_the_status_details()
    {
        var e = InvalidArgument("importer", "hs_code");

        Assert.Equal(["importer", "hs_code"], e.GetFieldViolations().Select(v => v.Field));
        Assert.Equal("hs_code is wrong", e.GetFieldViolations()[1].Description);
        Assert.Equal("INVALID_ARGUMENT", e.GetErrorInfo()?.Reason);
        Assert.Equal("tradepolicy.v1", e.GetErrorInfo()?.Domain);
        Assert.True(e.IsInvalidField("hs_code"));
        Assert.False(e.IsInvalidField("origin"));
    }

    [Fact]
    public void An_error_without_details_has_no_violations_and_no_error_info()
    {
        var e = new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));

        Assert.Empty(e.GetFieldViolations());
        Assert.Null(e.GetErrorInfo());
        Assert.False(e.IsInvalidField("hs_code"));
    }

    [Fact]
    public void The_reason_constants_are_the_names_of_the_contract_error_reasons()
    {
        Assert.Equal(TradePolicy.V1.ErrorReason.InvalidArgument, TradePolicy.V1.ErrorReasons.Parse(PolicyServiceErrors.InvalidArgumentReason));
        Assert.Equal(TradePolicy.V1.ErrorReason.ResourceNotFound, TradePolicy.V1.ErrorReasons.Parse(PolicyServiceErrors.ResourceNotFoundReason));
        Assert.Equal(TradePolicy.V1.ErrorReason.EtagMismatch, TradePolicy.V1.ErrorReasons.Parse(PolicyServiceErrors.EtagMismatchReason));
        Assert.Equal(TradePolicy.V1.ErrorReason.AlreadyExists, TradePolicy.V1.ErrorReasons.Parse(PolicyServiceErrors.AlreadyExistsReason));
        Assert.Equal(TradePolicy.V1.ErrorReason.DatabaseUnavailable, TradePolicy.V1.ErrorReasons.Parse(PolicyServiceErrors.DatabaseUnavailableReason));
        Assert.Equal("ETAG_MISMATCH", TradePolicy.V1.ErrorReasons.ToReasonString(TradePolicy.V1.ErrorReason.EtagMismatch));
    }

    [Fact]
    public void The_error_reason_is_read_as_the_contract_enum()
    {
        Assert.Equal(TradePolicy.V1.ErrorReason.InvalidArgument, InvalidArgument("hs_code").GetErrorReason());
        Assert.Equal(TradePolicy.V1.ErrorReason.Unspecified, new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "no details")).GetErrorReason());
    }
}
