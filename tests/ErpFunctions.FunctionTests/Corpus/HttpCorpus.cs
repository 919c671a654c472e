using System.Text;

namespace ErpFunctions.FunctionTests.Corpus;

/// <summary>One bad request: where it goes, what it carries, and what it is trying.</summary>
public sealed record BadRequest(string Name, string Route, HttpMethod Method, string Path, string? Body = null, string? Authorization = "Bearer sim-operator-standard",
    IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>
    /// Kestrel refuses a path holding a NUL byte itself, with an empty 400, before any middleware runs: no app code can
    /// answer it with a problem (the Functions host in Azure does the same).
    /// </summary>
    public bool RefusedByKestrel => Path.Split('?')[0].Contains("%00", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The HTTP half of the bad-input corpus: hand-written tricks and generated combinations over every route — malformed
/// and mistyped JSON, huge bodies and URLs, unicode and control characters, path tricks, injection-like strings, unknown
/// ids, broken credentials. None of them is a request the service should act on.
/// </summary>
public static class HttpCorpus
{
    public const string WebhookSecret = "Bearer test-webhook-secret";

    /// <summary>Strings that are no job number, run id or token, whatever route they are sent to.</summary>
    private static readonly string[] Hostile =
    [
        "..", "...", "%2e%2e", "%252e%252e", "..%2f..%2fetc%2fpasswd", "%2f", "%5c", "a%00b", "%00", "%0d%0aX-Injected:%201", "%09", "%20",
        "22-208%20", "%E2%80%AE802-22", "%E3%82%B8%E3%83%A7%E3%83%96", "%F0%9F%98%80", "22%E2%80%93208", "22-208%3B", "22-208%27", "%27%20or%201%3D1%20--",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%7B%7B7*7%7D%7D", "AAAAAAAAAAA", new string('A', 300), "-1", "0x10",
        "22-208.json", "CON", "%C0%AE%C0%AE", "%FF%FE", "22-208%2F..%2F19-101", "%C3%BC%C3%B6", "null", "undefined", "NaN", "1e400",
    ];

    private static readonly string[] UnknownJobs = ["99-999", "00-000", "ZZZZ", "x.y_z-1"];

    public static IReadOnlyList<BadRequest> All { get; } = Build();

    private static List<BadRequest> Build()
    {
        var cases = new List<BadRequest>();
        foreach (var (value, i) in Hostile.Select((v, i) => (v, i)))
        {
            cases.Add(new($"preview job #{i} {Short(value)}", "GET /api/budgets/{job}/preview", HttpMethod.Get, $"/api/budgets/{value}/preview"));
            cases.Add(new($"refresh job #{i} {Short(value)}", "POST /api/budgets/{job}/refresh", HttpMethod.Post, $"/api/budgets/{value}/refresh"));
            cases.Add(new($"reimport job #{i} {Short(value)}", "POST /api/budgets/{job}/reimport", HttpMethod.Post, $"/api/budgets/{value}/reimport", """{"confirm": true}"""));
            cases.Add(new($"run #{i} {Short(value)}", "GET /api/reimports/{id}", HttpMethod.Get, $"/api/reimports/{value}"));
            cases.Add(new($"run lines #{i} {Short(value)}", "GET /api/reimports/{id}/lines", HttpMethod.Get, $"/api/reimports/{value}/lines"));
            cases.Add(new($"history job #{i} {Short(value)}", "GET /api/budgets/{job}/runs", HttpMethod.Get, $"/api/budgets/{value}/runs"));
            cases.Add(new($"page file #{i} {Short(value)}", "GET /app/{asset}", HttpMethod.Get, $"/app/{value}"));
        }

        foreach (var job in UnknownJobs)
        {
            cases.Add(new($"preview unknown job {job}", "GET /api/budgets/{job}/preview", HttpMethod.Get, $"/api/budgets/{job}/preview"));
            cases.Add(new($"refresh unknown job {job}", "POST /api/budgets/{job}/refresh", HttpMethod.Post, $"/api/budgets/{job}/refresh"));
            cases.Add(new($"reimport unknown job {job}", "POST /api/budgets/{job}/reimport", HttpMethod.Post, $"/api/budgets/{job}/reimport", """{"confirm": true}"""));
        }

        foreach (var run in new[] { "20261126000000-000000000000", "x", "run-1" })
        {
            cases.Add(new($"unknown run {run}", "GET /api/reimports/{id}", HttpMethod.Get, $"/api/reimports/{run}"));
            cases.Add(new($"lines of unknown run {run}", "GET /api/reimports/{id}/lines", HttpMethod.Get, $"/api/reimports/{run}/lines"));
        }

        cases.AddRange(ReimportBodies().Select((body, i) =>
            new BadRequest($"reimport body #{i} {Short(body)}", "POST /api/budgets/{job}/reimport", HttpMethod.Post, "/api/budgets/22-208/reimport", body)));
        cases.AddRange(IdempotencyKeys().Select((key, i) => new BadRequest($"idempotency key #{i} {Short(key)}", "POST /api/budgets/{job}/reimport",
            HttpMethod.Post, "/api/budgets/22-208/reimport", """{"confirm": true}""", Headers: new Dictionary<string, string> { ["Idempotency-Key"] = key })));
        cases.AddRange(Credentials().SelectMany((authorization, i) => new[]
        {
            new BadRequest($"credential #{i} on the list", "GET /api/budgets", HttpMethod.Get, "/api/budgets", Authorization: authorization),
            new BadRequest($"credential #{i} on a re-import", "POST /api/budgets/{job}/reimport", HttpMethod.Post, "/api/budgets/22-208/reimport",
                """{"confirm": true}""", authorization),
        }));
        cases.AddRange(Credentials().SelectMany((authorization, i) => new[]
        {
            new BadRequest($"credential #{i} asking who it is", "GET /api/me", HttpMethod.Get, "/api/me", Authorization: authorization),
            new BadRequest($"credential #{i} starting a preflight", "POST /api/preflight", HttpMethod.Post, "/api/preflight", Authorization: authorization),
        }));
        cases.AddRange(SessionCookies().SelectMany((cookie, i) => new[]
        {
            new BadRequest($"session #{i} asking who it is", "GET /api/me", HttpMethod.Get, "/api/me", Authorization: null,
                Headers: new Dictionary<string, string> { ["Cookie"] = cookie }),
            new BadRequest($"session #{i} re-importing", "POST /api/budgets/{job}/reimport", HttpMethod.Post, "/api/budgets/22-208/reimport",
                """{"confirm": true}""", null, new Dictionary<string, string> { ["Cookie"] = cookie, ["X-Requested-With"] = "ErpFunctions" }),
            new BadRequest($"session #{i} re-importing from another site", "POST /api/budgets/{job}/reimport", HttpMethod.Post,
                "/api/budgets/22-208/reimport", """{"confirm": true}""", null, new Dictionary<string, string> { ["Cookie"] = cookie }),
            new BadRequest($"session #{i} signing out from another site", "POST /auth/signout", HttpMethod.Post, "/auth/signout", Authorization: null,
                Headers: new Dictionary<string, string> { ["Cookie"] = cookie }),
        }));
        cases.Add(new("read-only operator re-imports", "POST /api/budgets/{job}/reimport", HttpMethod.Post, "/api/budgets/22-208/reimport",
            """{"confirm": true}""", "Bearer sim-operator-readonly"));
        cases.Add(new("operator without access previews", "GET /api/budgets/{job}/preview", HttpMethod.Get, "/api/budgets/22-208/preview",
            Authorization: "Bearer sim-operator-none"));
        cases.Add(new("operator of another company lists", "GET /api/budgets", HttpMethod.Get, "/api/budgets", Authorization: "Bearer sim-operator-elsewhere"));
        cases.AddRange(ListQueries().Select((query, i) => new BadRequest($"list query #{i} {Short(query)}", "GET /api/budgets", HttpMethod.Get, "/api/budgets?" + query)));
        cases.AddRange(WebhookBodies().Select((body, i) => new BadRequest($"webhook body #{i} {Short(body)}", "POST /api/webhooks/procore",
            HttpMethod.Post, "/api/webhooks/procore", body, WebhookSecret)));
        cases.AddRange(new[] { null, "", "Bearer wrong", "test-webhook-secret", "Bearer  test-webhook-secret", "Bearer test-webhook-secreT" }.Select((secret, i) =>
            new BadRequest($"webhook secret #{i}", "POST /api/webhooks/procore", HttpMethod.Post, "/api/webhooks/procore", Delivery("01J0CORPUS0000000000000000"), secret)));
        cases.AddRange(Misrouted());
        return cases;
    }

    private static IEnumerable<string> ReimportBodies() =>
    [
        "", " ", "null", "true", "0", "-1", "\"confirm\"", "[]", "[{\"confirm\": true}]", "{", "}", "{\"confirm\": tru}", "{\"confirm\": true,}",
        "{'confirm': true}", "{confirm: true}", "{}", "{\"confirm\": false}", "{\"confirm\": \"true\"}", "{\"confirm\": 1}", "{\"confirm\": null}",
        "{\"confirm\": []}", "{\"confirm\": {}}", "{\"Confirm\": true}", "{\"confirm \": true}", "{\"confirm\": true}garbage", "\uFEFF{\"confirm\": \"yes\"}",
        "{\"confirm\": true" + new string(' ', 20_000) + "}", "{\"confirm\": \"" + new string('x', 20_000) + "\"}",
        new string('[', 5_000) + new string(']', 5_000), "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201),
        "{\"confirm\": \"\u0000\"}", "{\"confirm\": 1e400}", "{\"confirm\": 12.345}", "{\"confirm\": -99999999999999999999}", "<confirm>true</confirm>",
        "confirm=true", "\u00ff\u00fe", "{\"confirm\": \"\\ud800\"}",
    ];

    private static IEnumerable<string> IdempotencyKeys() => [new string('k', 201), new string('k', 5_000), "key with spaces", "kéy", "key\u0001", "\"quoted\" key"];

    private static IEnumerable<string?> Credentials() =>
    [
        null, "", "Bearer", "Bearer ", "Basic c2ltOnNpbQ==", "bearer", "Token sim-operator-standard", "Bearer sim operator", "Bearer tök",
        "Bearer " + new string('a', 5_000), "Bearer unknown-token", "Bearer \"sim-operator-standard\"", "Bearer sim-operator-standard\u0001",
        "Bearer <script>", "Bearer ${jndi:ldap://x}", "Bearer %00", "Bearer ' or 1=1 --",
    ];

    /// <summary>Session cookies the app did not seal, or sealed for something else.</summary>
    private static IEnumerable<string> SessionCookies() =>
    [
        "erp_session=", "erp_session=forged", "erp_session=" + new string('A', 3_000), "erp_session=CfDJ8%00", "erp_signin=x; erp_session=x",
        "erp_session=%F0%9F%98%80",
    ];

    private static IEnumerable<string> ListQueries() =>
    [
        "includeCompleted=maybe", "includeCompleted=1", "includeCompleted=%00", "filter=notlinked&includeCompleted=yes",
        "filter=everything", "filter=1", "filter=synced%3Bdrop", "filter=%00", "filter=" + new string('s', 500), "filter=SYNCED2",
        "pageSize=0", "pageSize=-1", "pageSize=201", "pageSize=1e3", "pageSize=abc", "pageSize=2147483648", "pageSize=1.5", "pageSize=%20",
        "pageToken=not-a-token", "pageToken=%00", "pageToken=" + new string('A', 3_000), "pageToken=YjEKQWxsCi4uL3g", "pageToken=YjEKU3luY2VkCjIyLTIwOA",
        "pageToken=YjEKQWxsCjIyLTIwOCcgb3IgMSBlcSAx", "pageToken=%F0%9F%98%80", "pageToken=====",
    ];

    private static string Delivery(string ulid, string resource = "Projects", string action = "update", string ids = "") =>
        $$"""{"ulid": "{{ulid}}", "resource_name": "{{resource}}", "event_type": "{{action}}"{{ids}}}""";

    private static IEnumerable<string> WebhookBodies() =>
    [
        "", "{", "[]", "null", "\"delivery\"", "42", "{}", "<delivery/>", "{\"ulid\": null}", "{\"ulid\": true}", "{\"ulid\": []}",
        Delivery(""), Delivery(" "), Delivery(new string('A', 65)), Delivery(new string('A', 3_000)), Delivery("../../x"), Delivery("x y"),
        Delivery("\\u00fc"), Delivery("\\u0000"), Delivery("<script>"), Delivery("'; DROP TABLE deliveries; --"), Delivery("01J0/x"),
        """{"ulid": "01J0CORPUS0000000000000001"}""", """{"ulid": "01J0CORPUS0000000000000002", "resource_name": "Projects"}""",
        Delivery("01J0CORPUS0000000000000003", new string('R', 101)), Delivery("01J0CORPUS0000000000000004", "Projects", new string('e', 101)),
        Delivery("01J0CORPUS0000000000000005", "Proj\\u0007ects"), Delivery("01J0CORPUS0000000000000006", "Projects", "up\\ndate"),
        Delivery("01J0CORPUS0000000000000007", ids: ", \"project_id\": \"abc\""), Delivery("01J0CORPUS0000000000000008", ids: ", \"project_id\": 1.5"),
        Delivery("01J0CORPUS0000000000000009", ids: ", \"project_id\": -5"), Delivery("01J0CORPUS0000000000000010", ids: ", \"project_id\": 0"),
        Delivery("01J0CORPUS0000000000000011", ids: ", \"project_id\": 9223372036854775808"),
        Delivery("01J0CORPUS0000000000000012", ids: ", \"project_id\": 1e400"), Delivery("01J0CORPUS0000000000000013", ids: ", \"resource_id\": \"\""),
        Delivery("01J0CORPUS0000000000000014", "ERP Requests", "create", ", \"resource_id\": -1"),
        Delivery("01J0CORPUS0000000000000015", "ERP Requests", "create", ", \"resource_id\": \"12abc\""),
        Delivery("01J0CORPUS0000000000000016", ids: ", \"user_id\": \"me\""),
        "{\"ulid\": \"01J0CORPUS0000000000000017\"" + new string(' ', 20_000) + "}", Delivery("01J0CORPUS0000000000000018") + "garbage",
        "{\"ulid\": \"01J0CORPUS0000000000000019\", \"resource_name\": \"Projects\", \"event_type\": \"update\"",
    ];

    private static IEnumerable<BadRequest> Misrouted() =>
    [
        new("unknown route", "(none)", HttpMethod.Get, "/api/nothing"),
        new("root", "(none)", HttpMethod.Get, "/"),
        new("api root", "(none)", HttpMethod.Get, "/api"),
        new("budgets with trailing dots", "(none)", HttpMethod.Get, "/api/budgets/../health/x"),
        new("delete budgets", "GET /api/budgets", HttpMethod.Delete, "/api/budgets"),
        new("put a preview", "GET /api/budgets/{job}/preview", HttpMethod.Put, "/api/budgets/22-208/preview"),
        new("get a re-import", "POST /api/budgets/{job}/reimport", HttpMethod.Get, "/api/budgets/22-208/reimport"),
        new("patch a run", "GET /api/reimports/{id}", HttpMethod.Patch, "/api/reimports/x"),
        new("get the webhook", "POST /api/webhooks/procore", HttpMethod.Get, "/api/webhooks/procore"),
        new("post health", "GET /api/health", HttpMethod.Post, "/api/health"),
        new("delete the preflight", "POST /api/preflight", HttpMethod.Delete, "/api/preflight"),
        new("put who am I", "GET /api/me", HttpMethod.Put, "/api/me"),
        new("post the page", "GET /app/{asset}", HttpMethod.Post, "/app/"),
        new("get the sign-out", "POST /auth/signout", HttpMethod.Get, "/auth/signout"),
        new("long url", "GET /api/budgets", HttpMethod.Get, "/api/budgets?filter=" + new string('a', 10_000)),
        new("long path", "(none)", HttpMethod.Get, "/api/" + new string('p', 9_000)),
        new("huge re-import body", "POST /api/budgets/{job}/reimport", HttpMethod.Post, "/api/budgets/22-208/reimport", "{\"confirm\": true, \"x\": \"" + new string('x', 200_000) + "\"}"),
        new("huge webhook body", "POST /api/webhooks/procore", HttpMethod.Post, "/api/webhooks/procore", new string('{', 100_000), WebhookSecret),
    ];

    private static string Short(string? text)
    {
        var flat = new StringBuilder();
        foreach (var c in (text ?? "(none)").Take(24))
        {
            flat.Append(char.IsControl(c) || char.IsSurrogate(c) ? '·' : c);
        }

        return (text?.Length ?? 0) > 24 ? flat + $"…({text!.Length} chars)" : flat.ToString();
    }
}
