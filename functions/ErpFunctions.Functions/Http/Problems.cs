using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ErpFunctions.Functions.Http;

/// <summary>RFC 9457 problem details, naming the field at fault where there is one.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult Create(int status, string title, string detail, string? field = null,
        IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
        };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { ContentType } };
    }

    public static ObjectResult BadRequest(string field, string detail) =>
        Create(StatusCodes.Status400BadRequest, "The request is not valid", detail, field);

    public static ObjectResult NotFound(string detail, string? field = null) =>
        Create(StatusCodes.Status404NotFound, "Not found", detail, field);

    public static ObjectResult Unauthorized(string detail) =>
        Create(StatusCodes.Status401Unauthorized, "Authentication required", detail, "Authorization");

    /// <summary>The caller is known but their access does not reach: the credential they sent is what falls short.</summary>
    public static ObjectResult Forbidden(string detail, string field = "Authorization") =>
        Create(StatusCodes.Status403Forbidden, "Not allowed", detail, field);
}
