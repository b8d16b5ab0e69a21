using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PolicyService.Client.Tests;

/// <summary>What the packed .nupkg and .snupkg files hold: the promises the package makes to its consumers.</summary>
public partial class PackageContentTests(PackedClient package)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Fact]
    public void The_version_comes_from_Directory_Build_props_and_both_packages_share_it()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", package.VersionPrefix);
        Assert.StartsWith(package.VersionPrefix + "-", package.PackageVersion, StringComparison.Ordinal);
        var nuspec = Nuspec("PolicyService.Client");
        Assert.Equal(package.PackageVersion, nuspec.Descendants(Ns(nuspec) + "version").Single().Value);
        var contracts = nuspec.Descendants(Ns(nuspec) + "dependency").Single(d => (string?)d.Attribute("id") == "PolicyService.Contracts");
        Assert.Equal(package.PackageVersion, (string?)contracts.Attribute("version"));
    }

    [Theory]
    [InlineData("PolicyService.Client")]
    [InlineData("PolicyService.Contracts")]
    public void Each_package_has_its_assembly_xml_docs_and_readme(string id)
    {
        using var nupkg = ZipFile.OpenRead(package.PackagePath(id));
        var entries = nupkg.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.Contains("README.md", entries);
        var nuspec = Nuspec(id);
        Assert.Equal("README.md", nuspec.Descendants(Ns(nuspec) + "readme").Single().Value);
        // The client carries no copy of the contracts: they come from their own package.
        Assert.DoesNotContain(entries, e => e.EndsWith("PolicyService.Contracts.dll", StringComparison.Ordinal) && id != "PolicyService.Contracts");
    }

    [Fact]
    public void The_contracts_package_carries_the_repository_protos_unchanged()
    {
        using var nupkg = ZipFile.OpenRead(package.PackagePath("PolicyService.Contracts"));
        var protoDirectory = Path.Combine(package.RepositoryRoot, "protos", "tradepolicy", "v1");
        var expected = Directory.GetFiles(protoDirectory, "*.proto").Select(Path.GetFileName).Order().ToList();
        var packed = nupkg.Entries.Where(e => e.FullName.StartsWith("protos/tradepolicy/v1/", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, packed.Select(e => e.Name).Order());
        foreach (var entry in packed)
        {
            using var reader = new StreamReader(entry.Open());
            Assert.Equal(File.ReadAllText(Path.Combine(protoDirectory, entry.Name)), reader.ReadToEnd());
        }
    }

    [Fact]
    public void The_contracts_assembly_has_a_client_for_every_service_in_the_protos_documented_from_the_proto_comments()
    {
        var services = Directory.GetFiles(Path.Combine(package.RepositoryRoot, "protos", "tradepolicy", "v1"), "*.proto")
            .SelectMany(f => ServiceDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToList();
        Assert.Equal(9, services.Count); // Tariff, ExportControl, Truce, Source, Product, Coverage, Calendar, PolicyAdmin, ChangeFeed

        using var nupkg = ZipFile.OpenRead(package.PackagePath("PolicyService.Contracts"));
        using var pe = new PEReader(new MemoryStream(Read(nupkg, "lib/net10.0/PolicyService.Contracts.dll")));
        var metadata = pe.GetMetadataReader();
        var types = metadata.TypeDefinitions.Select(metadata.GetTypeDefinition).ToList();
        string NameOf(TypeDefinition t) => metadata.GetString(t.Name);
        foreach (var service in services)
        {
            var serviceType = types.Single(t => NameOf(t) == service && metadata.GetString(t.Namespace) == "TradePolicy.V1");
            Assert.Contains(serviceType.GetNestedTypes(), n => NameOf(metadata.GetTypeDefinition(n)) == service + "Client");
        }

        var docs = System.Text.Encoding.UTF8.GetString(Read(nupkg, "lib/net10.0/PolicyService.Contracts.xml"));
        Assert.Contains("Every additional duty in force for a product between two jurisdictions on a date, and why.", docs, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PolicyService.Client")]
    [InlineData("PolicyService.Contracts")]
    public void The_symbols_package_matches_the_deterministic_assembly_and_gives_its_sources(string id)
    {
        using var nupkg = ZipFile.OpenRead(package.PackagePath(id));
        using var snupkg = ZipFile.OpenRead(package.PackagePath(id, "snupkg"));
        using var pe = new PEReader(new MemoryStream(Read(nupkg, $"lib/net10.0/{id}.dll")));
        var debugDirectory = pe.ReadDebugDirectory();
        Assert.Contains(debugDirectory, e => e.Type == DebugDirectoryEntryType.Reproducible);
        var codeView = pe.ReadCodeViewDebugDirectoryData(debugDirectory.Single(e => e.Type == DebugDirectoryEntryType.CodeView));

        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Read(snupkg, $"lib/net10.0/{id}.pdb")));
        var pdb = pdbProvider.GetMetadataReader();
        Assert.Equal(codeView.Guid, new BlobContentId(pdb.DebugMetadataHeader!.Id).Guid);

        // Either SourceLink maps the documents to the commit on the remote, or (no known remote) each source is embedded.
        var hasSourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Any(h => pdb.GetGuid(pdb.GetCustomDebugInformation(h).Kind) == SourceLinkKind);
        var documents = pdb.Documents.ToList();
        var embedded = documents.Count(d => pdb.GetCustomDebugInformation(d).Any(h => pdb.GetGuid(pdb.GetCustomDebugInformation(h).Kind) == EmbeddedSourceKind));
        Assert.NotEmpty(documents);
        Assert.True(hasSourceLink || embedded == documents.Count, $"{id}: no SourceLink and {embedded} of {documents.Count} sources embedded");
    }

    private XDocument Nuspec(string id)
    {
        using var nupkg = ZipFile.OpenRead(package.PackagePath(id));
        using var stream = nupkg.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(stream);
    }

    private static XNamespace Ns(XDocument nuspec) => nuspec.Root!.Name.Namespace;

    private static byte[] Read(ZipArchive archive, string entry)
    {
        using var stream = archive.GetEntry(entry)?.Open() ?? throw new FileNotFoundException(entry);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex(@"^service (\w+) \{", RegexOptions.Multiline)]
    private static partial Regex ServiceDeclaration();
}
