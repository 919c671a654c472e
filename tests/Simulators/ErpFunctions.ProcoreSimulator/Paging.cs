using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.Simulators.Procore;

/// <summary>
/// Procore's paging: <c>page</c> (1-based) and <c>per_page</c>, answered with <c>Total</c>, <c>Per-Page</c> and
/// <c>Link</c> (or, with <see cref="ProcoreQuirks.OmitPagingHeaders"/>, with none of them); at most
/// <see cref="ProcoreQuirks.MaxPerPage"/> a page where it is set.
/// </summary>
public static class Paging
{
    public static IReadOnlyList<T> Page<T>(HttpContext context, IReadOnlyList<T> items, ProcoreSeed seed)
    {
        var query = context.Request.Query;
        var page = int.TryParse(query["page"], out var p) && p > 0 ? p : 1;
        var quirks = context.RequestServices.GetRequiredService<ProcoreQuirks>();
        var largest = Math.Min(seed.MaxPerPage, quirks.MaxPerPage ?? int.MaxValue);
        var perPage = Math.Min(int.TryParse(query["per_page"], out var n) && n > 0 ? n : seed.DefaultPerPage, largest);
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);

        var pageItems = items.Skip((page - 1) * perPage).Take(perPage).ToList();
        if (pageItems.Count > 0 && quirks.TakeShortPage())
        {
            pageItems.RemoveAt(pageItems.Count - 1);
        }

        if (quirks.OmitPagingHeaders)
        {
            return pageItems;
        }

        var headers = context.Response.Headers;
        headers["Total"] = items.Count.ToString();
        headers["Per-Page"] = perPage.ToString();
        var links = new List<string> { Link(context, 1, "first") };
        if (page > 1)
        {
            links.Add(Link(context, page - 1, "prev"));
        }

        if (page < last)
        {
            links.Add(Link(context, page + 1, "next"));
        }

        links.Add(Link(context, last, "last"));
        headers["Link"] = string.Join(", ", links);

        return pageItems;
    }

    private static string Link(HttpContext context, int page, string rel)
    {
        var request = context.Request;
        var query = request.Query.Where(q => q.Key != "page")
            .Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value.ToString()))
            .Append("page=" + page);
        return $"<{request.Scheme}://{request.Host}{request.Path}?{string.Join('&', query)}>; rel=\"{rel}\"";
    }
}
