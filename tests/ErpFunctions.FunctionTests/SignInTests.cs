using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ErpFunctions.FunctionTests.Support;

namespace ErpFunctions.FunctionTests;

/// <summary>
/// Signing in to the page with Procore through the local runner over real HTTP, the Procore simulator playing the
/// browser's other end: the authorization code flow, the session cookie and what it allows, and signing out.
/// </summary>
public partial class SignInTests : IAsyncLifetime
{
    private RunnerHost runner = null!;

    public async Task InitializeAsync() => runner = await RunnerHost.StartAsync();

    public async Task DisposeAsync() => await runner.DisposeAsync();

    private static HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    /// <summary>Signs in as <paramref name="login"/> the way a browser does; answers the session cookie the callback set.</summary>
    private async Task<string> SignInAsync(string login, Func<Uri, Uri>? tamperCallback = null)
    {
        using var browser = Browser();
        var start = await browser.GetAsync(new Uri(runner.Client.BaseAddress!, "/auth/signin"));
        start.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var pending = Cookie(start, "erp_signin");
        var authorize = start.Headers.Location!;
        authorize.GetLeftPart(UriPartial.Path).Should().Be(new Uri(runner.Harness.Procore.BaseAddress, "/oauth/authorize").ToString());

        var page = await browser.GetStringAsync(authorize);
        var form = new Dictionary<string, string>
        {
            ["client_id"] = HiddenField(page, "client_id"),
            ["redirect_uri"] = HiddenField(page, "redirect_uri"),
            ["state"] = HiddenField(page, "state"),
            ["login"] = login,
        };
        var approved = await browser.PostAsync(new Uri(runner.Harness.Procore.BaseAddress, "/oauth/authorize"), new FormUrlEncodedContent(form));
        approved.StatusCode.Should().Be(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        var callback = tamperCallback?.Invoke(approved.Headers.Location!) ?? approved.Headers.Location!;

        using var back = new HttpRequestMessage(HttpMethod.Get, callback);
        back.Headers.Add("Cookie", $"erp_signin={pending.Value}");
        var signedIn = await browser.SendAsync(back);
        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        lastCallback = signedIn;
        return signedIn.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("erp_session=") && !c.StartsWith("erp_session=;"))
            ? Cookie(signedIn, "erp_session").Value
            : "";
    }

    private HttpResponseMessage? lastCallback;

    private Task<HttpResponseMessage> SendWithSessionAsync(HttpMethod method, string path, string session, bool pageHeader, HttpContent? body = null)
    {
        var request = RunnerHost.Request(method, path, token: null, body: body);
        request.Headers.Add("Cookie", $"erp_session={session}");
        if (pageHeader)
        {
            request.Headers.Add("X-Requested-With", "ErpFunctions");
        }

        return runner.SendAsync(request);
    }

    [Fact]
    public async Task Signs_in_through_Procore_into_an_HttpOnly_Secure_SameSite_session_that_is_the_operator_s_own()
    {
        var session = await SignInAsync("olivia@summit.example");

        var setCookie = lastCallback!.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("erp_session="));
        setCookie.Should().Contain("httponly").And.Contain("secure").And.Contain("samesite=lax");
        lastCallback.Headers.Location!.ToString().Should().Be("/app/");
        session.Should().NotContain("sim-", "the cookie holds the token sealed, not in the clear");
        var me = await SendWithSessionAsync(HttpMethod.Get, "/api/me", session, pageHeader: false);
        me.StatusCode.Should().Be(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync());
        (body.RootElement.GetProperty("login").GetString(), body.RootElement.GetProperty("access").GetString(), body.RootElement.GetProperty("canReimport").GetBoolean())
            .Should().Be(("olivia@summit.example", "Standard", true));
    }

    [Fact]
    public async Task A_change_asked_for_with_the_session_needs_the_page_s_header()
    {
        var session = await SignInAsync("olivia@summit.example");
        StringContent Confirm() => new("""{"confirm": true}""", Encoding.UTF8, "application/json");

        var bare = await SendWithSessionAsync(HttpMethod.Post, "/api/budgets/22-208/reimport", session, pageHeader: false, Confirm());
        var fromPage = await SendWithSessionAsync(HttpMethod.Post, "/api/budgets/22-208/reimport", session, pageHeader: true, Confirm());

        bare.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        JsonDocument.Parse(await bare.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString().Should().Be("X-Requested-With");
        fromPage.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await runner.Harness.Runs.ListForJobAsync("ABC", "22-208", 10, default)).Should().ContainSingle("the refused call queued nothing");
    }

    [Fact]
    public async Task A_read_only_user_is_signed_in_with_read_only_rights()
    {
        var session = await SignInAsync("rita@summit.example");

        var me = JsonDocument.Parse(await (await SendWithSessionAsync(HttpMethod.Get, "/api/me", session, pageHeader: false)).Content.ReadAsStringAsync());
        var reimport = await SendWithSessionAsync(HttpMethod.Post, "/api/budgets/22-208/reimport", session, pageHeader: true,
            new StringContent("""{"confirm": true}""", Encoding.UTF8, "application/json"));

        me.RootElement.GetProperty("access").GetString().Should().Be("Read Only");
        reimport.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Refuses_a_callback_that_does_not_belong_to_the_sign_in_this_browser_started()
    {
        var session = await SignInAsync("olivia@summit.example",
            callback => new Uri(Regex.Replace(callback.ToString(), "state=[^&]*", "state=forged")));

        session.Should().BeEmpty("no session is made");
        lastCallback!.Headers.Location!.ToString().Should().Be("/app/?signIn=mismatch", "the page words the refusal itself");
    }

    [Theory]
    [InlineData("not-a-sealed-session")]
    [InlineData("")]
    public async Task A_session_cookie_that_was_not_sealed_here_is_no_session(string cookie)
    {
        var me = await SendWithSessionAsync(HttpMethod.Get, "/api/me", cookie, pageHeader: false);

        me.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_revokes_the_token_at_Procore_and_drops_the_cookie()
    {
        var session = await SignInAsync("olivia@summit.example");
        (await SendWithSessionAsync(HttpMethod.Get, "/api/me", session, pageHeader: false)).StatusCode.Should().Be(HttpStatusCode.OK);
        var tokensBefore = runner.Harness.Procore.State.Read(s => s.Tokens.Count);

        var withoutHeader = await SendWithSessionAsync(HttpMethod.Post, "/auth/signout", session, pageHeader: false);
        var signedOut = await SendWithSessionAsync(HttpMethod.Post, "/auth/signout", session, pageHeader: true);
        var after = await SendWithSessionAsync(HttpMethod.Get, "/api/me", session, pageHeader: false);

        withoutHeader.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        signedOut.StatusCode.Should().Be(HttpStatusCode.NoContent);
        signedOut.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith("erp_session=;") && c.Contains("expires=Thu, 01 Jan 1970"));
        runner.Harness.Procore.State.Read(s => (s.RevokedTokens, s.Tokens.Count)).Should().Be((1, tokensBefore - 1));
        after.StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "the sealed cookie still opens, but Procore no longer takes its token, and what it said before is forgotten");
    }

    [Fact]
    public async Task Serves_the_page_with_a_policy_that_runs_only_its_own_files()
    {
        var page = await runner.Client.GetAsync("/app/");
        var redirect = await Browser().GetAsync(new Uri(runner.Client.BaseAddress!, "/app"));
        var missing = await runner.Client.GetAsync("/app/nothing.js");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'").And.NotContain("unsafe-inline");
        (await page.Content.ReadAsStringAsync()).Should().Contain("Sign in with Procore");
        redirect.Headers.Location!.ToString().Should().Be("/app/");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static (string Name, string Value) Cookie(HttpResponseMessage response, string name)
    {
        var header = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));
        var value = header[(name.Length + 1)..].Split(';')[0];
        return (name, value);
    }

    private static string HiddenField(string page, string name) =>
        WebUtility.HtmlDecode(Regex.Match(page, $"name=\"{name}\" value=\"(?<v>[^\"]*)\"").Groups["v"].Value);
}
