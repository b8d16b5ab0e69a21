using Microsoft.Extensions.Options;

namespace PolicyService.Client;

/// <summary>Rejects settings that would fail later, or silently do something else than asked, with one message naming each problem.</summary>
internal sealed class PolicyServiceClientOptionsValidator : IValidateOptions<PolicyServiceClientOptions>
{
    private const string Section = PolicyServiceClientOptions.DefaultSectionName;

    public ValidateOptionsResult Validate(string? name, PolicyServiceClientOptions options)
    {
        var errors = new List<string>();
        var address = options.Address;
        if (address is null)
        {
            errors.Add($"{Section}:Address is required, e.g. http://127.0.0.1:5080, https://policy.example.com or dns:///policyservice-headless:8080.");
        }
        else if (!address.IsAbsoluteUri || address.Scheme is not ("http" or "https" or "dns"))
        {
            errors.Add($"{Section}:Address '{address.OriginalString}' must be an absolute http://, https:// or dns:/// address.");
        }
        else if (address.Scheme == "http" && options.UseTls == true)
        {
            errors.Add($"{Section}:UseTls is true but the address '{address}' is http://; use https:// for TLS.");
        }
        else if (address.Scheme == "https" && options.UseTls == false)
        {
            errors.Add($"{Section}:UseTls is false but the address '{address}' is https://; use http:// for cleartext.");
        }

        if (options.DefaultDeadline <= TimeSpan.Zero)
            errors.Add($"{Section}:DefaultDeadline must be positive.");
        if (options.DnsRefreshInterval <= TimeSpan.Zero)
            errors.Add($"{Section}:DnsRefreshInterval must be positive.");

        var retry = options.Retry;
        if (retry.MaxAttempts is < 1 or > 5)
            errors.Add($"{Section}:Retry:MaxAttempts must be between 1 (no retries) and 5, not {retry.MaxAttempts}.");
        if (retry.InitialBackoff <= TimeSpan.Zero || retry.MaxBackoff < retry.InitialBackoff)
            errors.Add($"{Section}:Retry:InitialBackoff must be positive and no greater than Retry:MaxBackoff.");
        if (!(retry.BackoffMultiplier > 0))
            errors.Add($"{Section}:Retry:BackoffMultiplier must be positive.");

        var usesTls = address is { IsAbsoluteUri: true } && ChannelSetup.UsesTls(options);
        if (options.AccessTokenProvider is not null && !usesTls && !options.AllowAccessTokenWithoutTls)
            errors.Add($"An access token would travel in cleartext: use TLS, or set {Section}:AllowAccessTokenWithoutTls when the network is encrypted otherwise.");
        var hasCertificate = options.ClientCertificate is not null || options.ClientCertificatePath is not null;
        if (hasCertificate && !usesTls)
            errors.Add("A client certificate needs TLS: use an https:// address, or UseTls with a dns:/// address.");
        if (options.ClientCertificate is not null && options.ClientCertificatePath is not null)
            errors.Add($"Set either ClientCertificate or {Section}:ClientCertificatePath, not both.");
        if (options.ClientCertificatePath is null && (options.ClientCertificateKeyPath ?? options.ClientCertificatePassword) is not null)
            errors.Add($"{Section}:ClientCertificateKeyPath and ClientCertificatePassword need {Section}:ClientCertificatePath.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
