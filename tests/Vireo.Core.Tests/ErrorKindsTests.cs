namespace Vireo.Core.Tests;

public sealed class ErrorKindsTests
{
    [Theory]
    [InlineData(ErrorKind.InvalidInput, 64, 400, "badRequest")]
    [InlineData(ErrorKind.NotFound, 3, 404, "itemNotFound")]
    [InlineData(ErrorKind.Conflict, 4, 409, "conflictingRequest")]
    [InlineData(ErrorKind.Unavailable, 69, 503, "serviceUnavailable")]
    [InlineData(ErrorKind.Failed, 1, 500, "computeFault")]
    [InlineData(ErrorKind.Internal, 70, 500, "computeFault")]
    [InlineData(ErrorKind.Configuration, 78, 500, "computeFault")]
    [InlineData(ErrorKind.TooLarge, 1, 413, "overLimit")]
    public void Each_kind_maps_to_the_documented_exit_code_http_status_and_fault_name(ErrorKind kind, int exitCode, int httpStatus, string faultName)
    {
        ErrorKinds.Presentation(kind).ShouldBe(new ErrorPresentation(exitCode, httpStatus, faultName));
        ErrorKinds.ExitCode(kind).ShouldBe(exitCode);
        ErrorKinds.HttpStatus(kind).ShouldBe(httpStatus);
    }

    [Fact]
    public void Every_kind_has_a_presentation_and_no_failure_exits_with_zero()
    {
        foreach (var kind in Enum.GetValues<ErrorKind>())
        {
            ErrorKinds.All.ShouldContainKey(kind);
            ErrorKinds.ExitCode(kind).ShouldNotBe(ErrorKinds.SuccessExitCode);
        }
    }

    [Fact]
    public void A_vireo_exception_keeps_its_kind_and_anything_else_is_internal()
    {
        ErrorKinds.KindOf(VireoException.NotFound("x")).ShouldBe(ErrorKind.NotFound);
        ErrorKinds.KindOf(new InvalidOperationException("bug")).ShouldBe(ErrorKind.Internal);
    }
}
