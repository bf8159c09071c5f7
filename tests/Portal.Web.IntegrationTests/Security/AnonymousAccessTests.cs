using System.Net;
using Lethe.Portal.Web.IntegrationTests.Support;

namespace Lethe.Portal.Web.IntegrationTests.Security;

[Collection(PortalCollection.Name)]
public class AnonymousAccessTests(PortalWebFactory factory)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/requests")]
    [InlineData("/approvals")]
    [InlineData("/jobs")]
    [InlineData("/evidence")]
    [InlineData("/dashboards")]
    [InlineData("/admin/users")]
    [InlineData("/Account/AccessDenied")]
    public async Task Anonymous_requests_to_pages_redirect_to_sign_in_with_a_return_url(string path)
    {
        using var session = new PortalSession(factory);
        var response = await session.Client.GetAsync(path);
        ResponseAssertions.AssertRedirectsTo(response, "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(path));
    }

    [Fact]
    public async Task The_sign_in_page_is_public_and_shows_the_demo_accounts_and_password()
    {
        using var session = new PortalSession(factory);
        var html = await session.Client.GetStringAsync("/Account/Login");
        Assert.Contains("legal@demo.local", html);
        Assert.Contains(session.DemoPassword, html);
    }

    [Fact]
    public async Task Health_reports_the_database_as_reachable_without_signing_in()
    {
        using var session = new PortalSession(factory);
        var response = await session.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":\"Healthy\"", body);
        Assert.Contains("\"name\":\"database\"", body);
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_sets_no_auth_cookie()
    {
        using var session = new PortalSession(factory);
        var response = await session.SignInAsync("manager@demo.local", "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong e-mail or password.", await response.Content.ReadAsStringAsync());
        ResponseAssertions.AssertRedirectsTo(await session.Client.GetAsync("/"), "/Account/Login");
    }
}
