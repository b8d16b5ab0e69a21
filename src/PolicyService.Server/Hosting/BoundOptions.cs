using Microsoft.Extensions.Options;

namespace PolicyService.Server.Hosting;

public static class BoundOptions
{
    /// <summary>
    /// Binds a configuration section to <typeparamref name="T"/>, checks it when the host starts (a bad value stops the
    /// start with the rule's message), and lets services take the bound <typeparamref name="T"/> itself.
    /// </summary>
    public static IServiceCollection AddBoundOptions<T>(this IServiceCollection services, string section,
        Func<T, bool>? isValid = null, string rule = "") where T : class
    {
        var builder = services.AddOptions<T>().BindConfiguration(section);
        if (isValid is not null) builder.Validate(isValid, $"{section}: {rule}");
        builder.ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }
}
