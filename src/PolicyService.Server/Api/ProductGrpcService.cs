using PolicyService.Server.Domain;
using System.Globalization;
using Grpc.Core;
using PolicyService.Server.Products;
using TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>HS 2022 products: a code described at its longest known level, and a ranked word search.</summary>
public sealed class ProductGrpcService(ProductCatalog catalog) : ProductService.ProductServiceBase
{
    public override Task<GetProductResponse> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var digits = ProductCode(v, "hs_code", request.HsCode);
        v.ThrowIfInvalid();
        var product = catalog.Describe(digits) ?? throw new ResourceNotFoundException("HS 2022 product", digits);
        return Task.FromResult(new GetProductResponse { Product = product.ToProto() });
    }

    public override Task<SearchProductsResponse> SearchProducts(SearchProductsRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var query = request.Query.Trim();
        if (query.Length == 0) v.Fail("query", "is required: words (\"lithium-ion batteries\") or a code (\"8507.60\")");
        else if (query.Length > 200) v.Fail("query", "is longer than 200 characters");
        var pageSize = v.PageSize("page_size", request.PageSize);
        v.ThrowIfInvalid();
        // The token is the number of results already returned, bound to the query (ranked results have no keyset).
        var after = PageToken.Read(request.PageToken, "products\n" + query, v);
        var offset = 0;
        if (after.Length > 0 && !int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out offset)) v.Fail("page_token", "is not a token this service issued");
        v.ThrowIfInvalid();

        var hits = catalog.Index.Search(query, offset + pageSize + 1);
        var response = new SearchProductsResponse { Products = { hits.Skip(offset).Take(pageSize).Select(e => catalog.Describe(e).ToProto()) } };
        if (hits.Count > offset + pageSize)
            response.NextPageToken = PageToken.Create((offset + pageSize).ToString(CultureInfo.InvariantCulture), "products\n" + query);
        return Task.FromResult(response);
    }

    /// <summary>2, 4, 6, 8 or 10 digits once dots and spaces are removed.</summary>
    private static string ProductCode(RequestValidation v, string field, string value)
    {
        var digits = value.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length is 2 or 4 or 6 or 8 or 10 && digits.All(char.IsAsciiDigit)) return digits;
        v.Fail(field, string.IsNullOrWhiteSpace(value)
            ? "is required: an HS code of 2, 4, 6, 8 or 10 digits"
            : $"\"{(value.Length <= 40 ? value : value[..40] + "…")}\" is not an HS code: give 2, 4, 6, 8 or 10 digits (dots and spaces are ignored)");
        return digits;
    }
}

/// <summary>HS 2022 descriptions as tradepolicy.v1 products.</summary>
public static class ProductMapping
{
    public static Product ToProto(this ProductDescription p) => new()
    {
        HsCode = p.Entry.Code,
        Description = p.Entry.Description,
        Level = p.Entry.Level,
        ParentCode = p.Entry.ParentCode,
        HeadingCode = p.Heading?.Code ?? "",
        HeadingDescription = p.Heading?.Description ?? "",
        ChapterCode = p.Chapter.Code,
        ChapterDescription = p.Chapter.Description,
        Section = p.Section,
        SectionName = p.SectionName,
    };

    /// <summary>The product of a looked-up code, or null when the nomenclature does not know it.</summary>
    public static Product? ProductOf(this ProductCatalog catalog, string digits) => catalog.Describe(digits)?.ToProto();
}
