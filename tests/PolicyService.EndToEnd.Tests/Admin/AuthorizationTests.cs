using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

public class AuthorizationTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private Task<CreateTariffMeasureResponse> Create(Metadata? headers) =>
        fixture.Admin.CreateTariffMeasureAsync(new CreateTariffMeasureRequest
        {
            TariffMeasure = TestRecords.ToyDuty(TestRecords.NewId("AUTH")),
            Reason = "auth matrix",
        }, headers, Deadline).ResponseAsync;

    [Fact]
    public async Task Without_credentials_an_admin_call_is_unauthenticated()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Create(null));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_or_expired_is_unauthenticated()
    {
        var forged = fixture.Credentials.Token("mallory", [TestCredentials.Editor], untrusted: true);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => Create(TestCredentials.Bearer(forged)))).StatusCode);

        var expired = fixture.Credentials.Token("late", [TestCredentials.Editor], lifetime: TimeSpan.FromMinutes(-10));
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => Create(TestCredentials.Bearer(expired)))).StatusCode);
    }

    [Fact]
    public async Task The_roles_claim_may_be_a_single_string_or_an_array()
    {
        // Identity providers send one role as a plain string and several as an array: both are read as roles.
        var single = fixture.Credentials.Token("analyst-s", [TestCredentials.Editor]);
        var several = fixture.Credentials.Token("analyst-a", [TestCredentials.Reader, TestCredentials.Editor]);
        Assert.Equal(System.Text.Json.JsonValueKind.String, RolesClaim(single).ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, RolesClaim(several).ValueKind);
        Assert.Equal("analyst-s", (await Create(TestCredentials.Bearer(single))).TariffMeasure.Recorded.RecordedBy);
        Assert.Equal("analyst-a", (await Create(TestCredentials.Bearer(several))).TariffMeasure.Recorded.RecordedBy);

        static System.Text.Json.JsonElement RolesClaim(string token) =>
            System.Text.Json.JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement.GetProperty("roles");
    }

    [Fact]
    public async Task A_reader_may_not_write()
    {
        var reader = fixture.Credentials.Token("reader-1", [TestCredentials.Reader]);
        var e = await Assert.ThrowsAsync<RpcException>(() => Create(TestCredentials.Bearer(reader)));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task An_editor_writes_and_is_recorded_as_the_author()
    {
        var created = await Create(fixture.Editor("analyst-42"));
        Assert.Equal("analyst-42", created.TariffMeasure.Recorded.RecordedBy);
        Assert.Equal("auth matrix", created.TariffMeasure.Recorded.Reason);
        Assert.Equal("1", created.TariffMeasure.Etag);
    }

    [Fact]
    public async Task Lookups_are_open_when_configured_so() =>
        Assert.NotEmpty((await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "950300" }, deadline: Deadline)).TotalAdValoremPercent);

    [Fact]
    public async Task Lookups_need_a_reader_role_when_configured_so()
    {
        using var credentials = new TestCredentials();
        await using var server = await ServerProcess.StartAsync(credentials.ServerSettings(requireReaderForLookups: true), ct: TestContext.Current.CancellationToken);
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var request = new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "950300" };

        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => tariffs.LookupDutyAsync(request, deadline: Deadline).ResponseAsync)).StatusCode);
        var noRole = TestCredentials.Bearer(credentials.Token("someone", []));
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => tariffs.LookupDutyAsync(request, noRole, Deadline).ResponseAsync)).StatusCode);
        Assert.NotNull(await tariffs.LookupDutyAsync(request, TestCredentials.Bearer(credentials.Token("svc", [TestCredentials.Reader])), Deadline));
        Assert.NotNull(await tariffs.LookupDutyAsync(request, TestCredentials.Bearer(credentials.Token("analyst", [TestCredentials.Editor])), Deadline));

        var products = new ProductService.ProductServiceClient(server.Channel);
        var search = new SearchProductsRequest { Query = "toys" };
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => products.SearchProductsAsync(search, deadline: Deadline).ResponseAsync)).StatusCode);
        Assert.NotEmpty((await products.SearchProductsAsync(search, TestCredentials.Bearer(credentials.Token("svc", [TestCredentials.Reader])), Deadline)).Products);
    }

    [Fact]
    public async Task A_client_certificate_from_the_configured_CA_may_write_and_others_may_not()
    {
        using var ca = TestCredentials.CreateAuthority("PolicyService test CA");
        using var strangerCa = TestCredentials.CreateAuthority("Someone else's CA");
        using var serverCert = TestCredentials.Issue(ca, "localhost", server: true);
        using var analystCert = TestCredentials.Issue(ca, "analyst-cert", server: false);
        using var strangerCert = TestCredentials.Issue(strangerCa, "stranger", server: false);

        var dir = Directory.CreateTempSubdirectory("policyservice-tls-").FullName;
        try
        {
            var pfx = Path.Combine(dir, "server.pfx");
            await File.WriteAllBytesAsync(pfx, serverCert.Export(X509ContentType.Pfx, "test-only"), TestContext.Current.CancellationToken);
            var caPem = Path.Combine(dir, "ca.pem");
            await File.WriteAllTextAsync(caPem, ca.ExportCertificatePem(), TestContext.Current.CancellationToken);

            GrpcChannel Channel(Uri address, X509Certificate2? client)
            {
                var handler = new HttpClientHandler
                {
                    // Trust exactly the test CA for the server's certificate.
                    ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.Issuer == ca.Subject,
                };
                if (client is not null) handler.ClientCertificates.Add(client);
                return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
            }

            await using var server = await ServerProcess.StartAsync(
                [
                    new("Kestrel:Endpoints:Https:Url", "https://127.0.0.1:0"),
                    new("Kestrel:Endpoints:Https:Protocols", "Http2"),
                    new("Kestrel:Endpoints:Https:Certificate:Path", pfx),
                    new("Kestrel:Endpoints:Https:Certificate:Password", "test-only"),
                    new("Kestrel:Endpoints:Https:ClientCertificateMode", "AllowCertificate"),
                    new("Auth:ClientCertificateCaPath", caPem),
                ],
                channelFactory: address => Channel(address, null), ct: TestContext.Current.CancellationToken);

            var request = new CreateTariffMeasureRequest { TariffMeasure = TestRecords.ToyDuty(TestRecords.NewId("CERT")), Reason = "certificate auth" };
            using (var trusted = Channel(server.Address, analystCert))
            {
                var created = await new PolicyAdminService.PolicyAdminServiceClient(trusted).CreateTariffMeasureAsync(request, deadline: Deadline);
                Assert.Equal("cert:analyst-cert", created.TariffMeasure.Recorded.RecordedBy);
            }
            using (var stranger = Channel(server.Address, strangerCert))
            {
                var e = await Assert.ThrowsAsync<RpcException>(() => new PolicyAdminService.PolicyAdminServiceClient(stranger)
                    .CreateTariffMeasureAsync(request, deadline: Deadline).ResponseAsync);
                Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
            }
            var anonymous = await Assert.ThrowsAsync<RpcException>(() => new PolicyAdminService.PolicyAdminServiceClient(server.Channel)
                .CreateTariffMeasureAsync(request, deadline: Deadline).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
