using System.Net.Http;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PolicyService.Client;
using TradePolicy.V1;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PolicyService clients.</summary>
public static class PolicyServiceClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPolicyServiceClient"/>, <see cref="PolicyServiceClient"/> and the generated clients
    /// (<see cref="TariffService.TariffServiceClient"/>, <see cref="ExportControlService.ExportControlServiceClient"/>,
    /// <see cref="TruceService.TruceServiceClient"/>, <see cref="ProductService.ProductServiceClient"/>,
    /// <see cref="SourceService.SourceServiceClient"/>, <see cref="CoverageService.CoverageServiceClient"/>,
    /// <see cref="CalendarService.CalendarServiceClient"/>,
    /// <see cref="ChangeFeedService.ChangeFeedServiceClient"/> and
    /// <see cref="PolicyAdminService.PolicyAdminServiceClient"/>) through the gRPC client factory, configured in code.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the options; at least <see cref="PolicyServiceClientOptions.Address"/>.</param>
    /// <returns>The same services, for chaining.</returns>
    /// <exception cref="OptionsValidationException">At start-up (generic host) or at the first client created, when the options are invalid.</exception>
    public static IServiceCollection AddPolicyServiceClient(this IServiceCollection services, Action<PolicyServiceClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PolicyServiceClientOptions>().Configure(configure);
        return AddClients(services);
    }

    /// <summary>
    /// Registers the PolicyService clients like <see cref="AddPolicyServiceClient(IServiceCollection, Action{PolicyServiceClientOptions})"/>,
    /// with options bound from a configuration section, e.g. <c>configuration.GetSection("PolicyService")</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="section">The section holding <c>Address</c>, <c>DefaultDeadline</c>, <c>Retry:MaxAttempts</c> and the other options.</param>
    /// <param name="configure">Sets what configuration cannot hold, such as <see cref="PolicyServiceClientOptions.AccessTokenProvider"/>; applied after binding.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddPolicyServiceClient(this IServiceCollection services, IConfiguration section,
        Action<PolicyServiceClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var options = services.AddOptions<PolicyServiceClientOptions>().Bind(section);
        if (configure is not null) options.Configure(configure);
        return AddClients(services);
    }

    private static IServiceCollection AddClients(IServiceCollection services)
    {
        services.AddOptions<PolicyServiceClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PolicyServiceClientOptions>, PolicyServiceClientOptionsValidator>());
        // A second call adds its options and stops here: registering the clients twice would add every interceptor twice.
        if (services.Any(d => d.ServiceType == typeof(ChannelSetup.DnsResolution))) return services;

        services.AddSingleton(sp => new ChannelSetup.DnsResolution(Options(sp).DnsRefreshInterval));
        // Names of their own, so they never collide with the application's other gRPC clients of the same type name.
        AddClient<TariffService.TariffServiceClient>(services, "PolicyService.TariffService");
        AddClient<ExportControlService.ExportControlServiceClient>(services, "PolicyService.ExportControlService");
        AddClient<TruceService.TruceServiceClient>(services, "PolicyService.TruceService");
        AddClient<ProductService.ProductServiceClient>(services, "PolicyService.ProductService");
        AddClient<SourceService.SourceServiceClient>(services, "PolicyService.SourceService");
        AddClient<CoverageService.CoverageServiceClient>(services, "PolicyService.CoverageService");
        AddClient<CalendarService.CalendarServiceClient>(services, "PolicyService.CalendarService");
        AddClient<ChangeFeedService.ChangeFeedServiceClient>(services, "PolicyService.ChangeFeedService");
        AddClient<PolicyAdminService.PolicyAdminServiceClient>(services, "PolicyService.PolicyAdminService");
        services.TryAddTransient<PolicyServiceClient>();
        services.TryAddTransient<IPolicyServiceClient>(sp => sp.GetRequiredService<PolicyServiceClient>());
        return services;
    }

    private static void AddClient<TClient>(IServiceCollection services, string name) where TClient : class =>
        services.AddGrpcClient<TClient>(name, (sp, client) => client.Address = Options(sp).Address)
            .ConfigureChannel((sp, channel) => ChannelSetup.ConfigureChannel(channel, Options(sp), sp.GetRequiredService<ChannelSetup.DnsResolution>()))
            .ConfigurePrimaryHttpMessageHandler((handler, sp) => ChannelSetup.ConfigureHandler(
                handler as SocketsHttpHandler ?? throw new InvalidOperationException(
                    $"PolicyService clients need a SocketsHttpHandler as their primary handler, not {handler.GetType().Name}."),
                Options(sp)))
            .AddInterceptor(InterceptorScope.Channel, sp => new DefaultDeadlineInterceptor(Options(sp).DefaultDeadline, sp.GetService<TimeProvider>() ?? TimeProvider.System))
            .AddCallCredentials((context, metadata, sp) => ChannelSetup.AddAccessTokenAsync(context, metadata, sp, Options(sp)));

    private static PolicyServiceClientOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PolicyServiceClientOptions>>().Value;
}
