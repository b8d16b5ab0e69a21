using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using PolicyService.Server.Api;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Tests.Api;

/// <summary>The signing key is process-wide: these tests change it, so they run alone, after every parallel test.</summary>
[CollectionDefinition(nameof(ProcessWidePageTokenKey), DisableParallelization = true)]
public sealed class ProcessWidePageTokenKey;

/// <summary>
/// Which key PageToken.UseKey signs with (README, configuration table): PageTokens:Key when set, else one derived from the
/// database the deployment shares. The expected key is spelled out here from that rule, never read from the service.
/// </summary>
[Collection(nameof(ProcessWidePageTokenKey))]
public sealed class PageTokenKeyTests
{
    private static readonly byte[] Data = "tok"u8.ToArray();

    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();

    /// <summary>What PageToken.Mac gives under the key SHA-256(<paramref name="secret"/>).</summary>
    private static byte[] MacUnder(string secret) => HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), Data);

    [Fact]
    public void A_configured_key_is_used_as_it_is()
    {
        PageToken.UseKey(Settings(("PageTokens:Key", "operator-chosen key"), ("Storage:Provider", "SqlServer"),
            ("ConnectionStrings:Policy", "Server=db1;Database=policy")));
        Assert.Equal(MacUnder("operator-chosen key"), PageToken.Mac(Data, 32));
    }

    [Theory]
    [InlineData("SqlServer")]
    [InlineData("SQLSERVER")]
    [InlineData("sqlserver")]
    public void On_sql_server_the_key_comes_from_the_connection_string_alone(string provider)
    {
        PageToken.UseKey(Settings(("PageTokens:Key", ""), ("Storage:Provider", provider),
            ("ConnectionStrings:Policy", "Server=db1;Database=policy"), ("Storage:SqlitePath", "/var/lib/policy/a.db")));
        Assert.Equal(MacUnder("policyservice-page-tokens\nsqlserver\nServer=db1;Database=policy"), PageToken.Mac(Data, 32));
    }

    [Fact]
    public void On_sql_server_the_sqlite_path_is_never_read()
    {
        PageToken.UseKey(Settings(("Storage:Provider", "SqlServer"), ("Storage:SqlitePath", "/var/lib/policy/a.db")));
        Assert.Equal(MacUnder("policyservice-page-tokens\nsqlserver\n"), PageToken.Mac(Data, 32));
    }

    [Fact]
    public void On_sqlite_without_a_connection_string_the_key_comes_from_the_file_path()
    {
        PageToken.UseKey(Settings(("Storage:Provider", "Sqlite"), ("ConnectionStrings:Policy", ""), ("Storage:SqlitePath", "/var/lib/policy/a.db")));
        Assert.Equal(MacUnder("policyservice-page-tokens\nsqlite\n/var/lib/policy/a.db"), PageToken.Mac(Data, 32));
    }

    [Fact]
    public void On_sqlite_a_connection_string_wins_over_the_file_path()
    {
        PageToken.UseKey(Settings(("Storage:Provider", "Sqlite"), ("ConnectionStrings:Policy", "Data Source=/srv/p.db"),
            ("Storage:SqlitePath", "/var/lib/policy/a.db")));
        Assert.Equal(MacUnder("policyservice-page-tokens\nsqlite\nData Source=/srv/p.db"), PageToken.Mac(Data, 32));
    }

    [Fact]
    public void With_no_provider_set_the_store_is_sqlite()
    {
        PageToken.UseKey(Settings(("Storage:SqlitePath", "/var/lib/policy/a.db")));
        Assert.Equal(MacUnder("policyservice-page-tokens\nsqlite\n/var/lib/policy/a.db"), PageToken.Mac(Data, 32));
    }

    [Fact]
    public void Mac_gives_the_first_bytes_asked_for()
    {
        PageToken.UseKey(Settings(("PageTokens:Key", "k")));
        Assert.Equal(MacUnder("k")[..12], PageToken.Mac(Data, 12));
    }

    // Replicas of one deployment share a SQL Server database but not their local settings: a token one issues, another reads.
    [Fact]
    public void Replicas_on_one_sql_server_database_read_each_others_tokens_and_other_databases_do_not()
    {
        PageToken.UseKey(Settings(("Storage:Provider", "SqlServer"), ("ConnectionStrings:Policy", "Server=db1;Database=policy"),
            ("Storage:SqlitePath", "/replica-1/a.db")));
        var token = PageToken.Create("TAR-US-14", "importer=US");

        PageToken.UseKey(Settings(("Storage:Provider", "SqlServer"), ("ConnectionStrings:Policy", "Server=db1;Database=policy"),
            ("Storage:SqlitePath", "/replica-2/b.db")));
        var same = new RequestValidation();
        Assert.Equal("TAR-US-14", PageToken.Read(token, "importer=US", same));
        same.ThrowIfInvalid();

        PageToken.UseKey(Settings(("Storage:Provider", "SqlServer"), ("ConnectionStrings:Policy", "Server=db2;Database=policy")));
        var other = new RequestValidation();
        Assert.Equal("", PageToken.Read(token, "importer=US", other));
        var error = Assert.Throws<InvalidRequestException>(other.ThrowIfInvalid);
        Assert.Equal("page_token", Assert.Single(error.Violations).Field);
        Assert.Contains("not a token this service issued", error.Violations[0].Description, StringComparison.Ordinal);
    }
}
