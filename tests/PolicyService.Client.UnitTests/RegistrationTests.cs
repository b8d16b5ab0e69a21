using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradePolicy.V1;

namespace PolicyService.Client.UnitTests;

public class RegistrationTests
{
    private static ServiceProvider FromConfiguration(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create("PolicyService:" + s.Key, (string?)s.Value)))
            .Build();
        return new ServiceCollection().AddPolicyServiceClient(configuration.GetSection("PolicyService")).BuildServiceProvider();
    }

    private static string ValidationMessage(params (string Key, string Value)[] settings)
    {
        using var services = FromConfiguration(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PolicyServiceClientOptions>>().Value).Message;
    }

    [Fact]
    public void A_configuration_section_binds_every_setting()
    {
        using var services = FromConfiguration(
            ("Address", "dns:///policyservice-headless.trade.svc.cluster.local:8080"), ("UseTls", "false"), ("DefaultDeadline", "00:00:03"),
            ("Retry:MaxAttempts", "5"), ("Retry:InitialBackoff", "00:00:00.1"), ("Retry:MaxBackoff", "00:00:01"), ("Retry:BackoffMultiplier", "1.5"),
            ("DnsRefreshInterval", "00:00:10"));

        var options = services.GetRequiredService<IOptions<PolicyServiceClientOptions>>().Value;
        Assert.Equal("dns", options.Address!.Scheme);
        Assert.Equal("/policyservice-headless.trade.svc.cluster.local:8080", options.Address.AbsolutePath);
        Assert.False(options.UseTls);
        Assert.Equal(TimeSpan.FromSeconds(3), options.DefaultDeadline);
        Assert.Equal((5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 1.5),
            (options.Retry.MaxAttempts, options.Retry.InitialBackoff, options.Retry.MaxBackoff, options.Retry.BackoffMultiplier));
        Assert.Equal(TimeSpan.FromSeconds(10), options.DnsRefreshInterval);
    }

    [Fact]
    public void The_facade_and_the_generated_clients_resolve()
    {
        using var services = new ServiceCollection().AddPolicyServiceClient(o => o.Address = new Uri("http://127.0.0.1:5080")).BuildServiceProvider();

        Assert.IsType<PolicyServiceClient>(services.GetRequiredService<IPolicyServiceClient>());
        Assert.NotNull(services.GetRequiredService<TariffService.TariffServiceClient>());
        Assert.NotNull(services.GetRequiredService<ExportControlService.ExportControlServiceClient>());
        Assert.NotNull(services.GetRequiredService<TruceService.TruceServiceClient>());
        Assert.NotNull(services.GetRequiredService<ProductService.ProductServiceClient>());
        Assert.NotNull(services.GetRequiredService<SourceService.SourceServiceClient>());
        Assert.NotNull(services.GetRequiredService<CoverageService.CoverageServiceClient>());
        Assert.NotNull(services.GetRequiredService<CalendarService.CalendarServiceClient>());
    }

    [Fact]
    public void Registering_twice_adds_options_but_not_a_second_set_of_clients()
    {
        var services = new ServiceCollection()
            .AddPolicyServiceClient(o => o.Address = new Uri("http://127.0.0.1:5080"))
            .AddPolicyServiceClient(o => o.DefaultDeadline = TimeSpan.FromSeconds(2));

        Assert.Single(services, d => d.ServiceType == typeof(IPolicyServiceClient));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<PolicyServiceClientOptions>>().Value;
        Assert.Equal((new Uri("http://127.0.0.1:5080"), TimeSpan.FromSeconds(2)), (options.Address, options.DefaultDeadline));
    }

    [Fact]
    public void Code_settings_apply_on_top_of_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("PolicyService:Address", (string?)"https://policy.example.com")]).Build();
        using var services = new ServiceCollection()
            .AddPolicyServiceClient(configuration.GetSection("PolicyService"), o => o.AccessTokenProvider = (_, _) => ValueTask.FromResult("t"))
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<PolicyServiceClientOptions>>().Value;
        Assert.Equal("https://policy.example.com/", options.Address!.ToString());
        Assert.NotNull(options.AccessTokenProvider);
    }

    [Fact]
    public void An_address_is_required() => Assert.Contains("PolicyService:Address is required", ValidationMessage(), StringComparison.Ordinal);

    [Theory]
    [InlineData("ftp://policy.example.com", "must be an absolute http://, https:// or dns:/// address")]
    [InlineData("policy.example.com", "must be an absolute http://, https:// or dns:/// address")]
    public void Addresses_other_than_http_https_and_dns_are_refused(string address, string message) =>
        Assert.Contains(message, ValidationMessage(("Address", address)), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://policy:8080", "true", "use https:// for TLS")]
    [InlineData("https://policy", "false", "use http:// for cleartext")]
    public void UseTls_may_not_contradict_the_scheme(string address, string useTls, string message) =>
        Assert.Contains(message, ValidationMessage(("Address", address), ("UseTls", useTls)), StringComparison.Ordinal);

    [Fact]
    public void Every_problem_is_named_at_once()
    {
        var message = ValidationMessage(("Address", "http://policy:8080"), ("DefaultDeadline", "00:00:00"), ("Retry:MaxAttempts", "0"),
            ("Retry:InitialBackoff", "00:00:03"), ("Retry:MaxBackoff", "00:00:01"), ("ClientCertificatePath", "/tls/tls.crt"));

        Assert.Contains("DefaultDeadline must be positive", message, StringComparison.Ordinal);
        Assert.Contains("Retry:MaxAttempts must be between 1 (no retries) and 5, not 0", message, StringComparison.Ordinal);
        Assert.Contains("Retry:InitialBackoff must be positive and no greater than Retry:MaxBackoff", message, StringComparison.Ordinal);
        Assert.Contains("A client certificate needs TLS", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dns_address_uses_tls_unless_told_otherwise()
    {
        Assert.True(ChannelSetup.UsesTls(new PolicyServiceClientOptions { Address = new Uri("dns:///policy:8080") }));
        Assert.False(ChannelSetup.UsesTls(new PolicyServiceClientOptions { Address = new Uri("dns:///policy:8080"), UseTls = false }));
    }

    [Fact]
    public void A_token_over_cleartext_needs_explicit_consent()
    {
        static PolicyServiceClientOptions Options(Uri address, bool allow) => new()
        {
            Address = address, AccessTokenProvider = (_, _) => ValueTask.FromResult("t"), AllowAccessTokenWithoutTls = allow,
        };
        var validator = new PolicyServiceClientOptionsValidator();

        var cleartextDns = Options(new Uri("dns:///policy:8080"), allow: false);
        cleartextDns.UseTls = false;
        var refused = validator.Validate(null, cleartextDns);
        Assert.True(refused.Failed);
        Assert.Contains("access token would travel in cleartext", refused.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, Options(new Uri("http://policy:8080"), allow: true)).Succeeded);
        Assert.True(validator.Validate(null, Options(new Uri("https://policy"), allow: false)).Succeeded);
    }

    [Fact]
    public void The_service_config_balances_round_robin_and_retries_only_unavailable()
    {
        var config = ChannelSetup.CreateServiceConfig(new PolicyServiceRetryOptions { MaxAttempts = 3 });

        Assert.IsType<RoundRobinConfig>(Assert.Single(config.LoadBalancingConfigs));
        var method = Assert.Single(config.MethodConfigs);
        Assert.DoesNotContain(method.Names, n => n.Service is null);
        Assert.Equal(3, method.RetryPolicy!.MaxAttempts);
        Assert.Equal([StatusCode.Unavailable], method.RetryPolicy.RetryableStatusCodes);
        Assert.Equal((TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), 2d),
            (method.RetryPolicy.InitialBackoff, method.RetryPolicy.MaxBackoff, method.RetryPolicy.BackoffMultiplier));
    }

    [Fact]
    public void One_attempt_configures_no_retry_policy() =>
        Assert.Empty(ChannelSetup.CreateServiceConfig(new PolicyServiceRetryOptions { MaxAttempts = 1 }).MethodConfigs);

    [Fact]
    public void Reads_and_the_idempotent_import_are_retried_and_no_other_write_is()
    {
        var names = Assert.Single(ChannelSetup.CreateServiceConfig(new PolicyServiceRetryOptions { MaxAttempts = 3 }).MethodConfigs).Names;
        bool Retried(Google.Protobuf.Reflection.MethodDescriptor m) =>
            names.Any(n => n.Service == m.Service.FullName && (string.IsNullOrEmpty(n.Method) || n.Method == m.Name));
        var methods = typeof(TradePolicy.V1.TariffService).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal) && t.Namespace == "TradePolicy.V1")
            .Select(t => (Google.Protobuf.Reflection.FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!)
            .SelectMany(f => f.Services).SelectMany(s => s.Methods).ToList();

        var writes = methods.Where(m => m.Service.Name == "PolicyAdminService" && m.Name is not ("GetHistory" or "ImportChanges")).ToList();
        Assert.Contains(writes, m => m.Name == "CreateTariffMeasure");
        Assert.All(writes, m => Assert.False(Retried(m), $"{m.FullName} writes and must not be retried"));
        Assert.All(methods.Except(writes), m => Assert.True(Retried(m), $"{m.FullName} is safe to retry and should be"));
    }
}
