using System.Net;
using Lethe.Portal.Data.Demo;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.Domain.Work;
using Lethe.Portal.Web.IntegrationTests.Support;

namespace Lethe.Portal.Web.IntegrationTests.Security;

[Collection(PortalCollection.Name)]
public class RoleAccessTests(PortalWebFactory factory)
{
    public static TheoryData<string> Roles => new(PortalRoles.All);

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Each_demo_role_reaches_its_areas_and_is_denied_the_others(string role)
    {
        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(DemoAccounts.ForRole(role).Email);

        foreach (var area in PortalAreas.All)
        {
            var response = await session.Client.GetAsync("/" + area.Path);
            if (area.IsOpenTo([role]))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} should open {area.Path}, got {response.StatusCode}");
                Assert.Contains(WebUtility.HtmlEncode(area.Title), await response.Content.ReadAsStringAsync());
            }
            else
            {
                ResponseAssertions.AssertRedirectsTo(response, "/Account/AccessDenied");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Each_demo_role_gets_its_home_page_with_its_work_queues(string role)
    {
        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(DemoAccounts.ForRole(role).Email);

        var html = await session.Client.GetStringAsync("/");
        var home = RoleHomes.For([role]).Single();
        Assert.Contains(WebUtility.HtmlEncode(home.Title), html);
        Assert.All(home.Queues, queue => Assert.Contains(WebUtility.HtmlEncode(queue.Title), html));
        var otherHomes = RoleHomes.All.Where(other => other.Role != role);
        Assert.All(otherHomes, other => Assert.DoesNotContain($"data-testid=\"home-{other.Role}\"", html));
    }

    [Fact]
    public async Task The_access_denied_page_answers_403()
    {
        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(DemoAccounts.ForRole(PortalRoles.Requester).Email);
        var response = await session.Client.GetAsync("/Account/AccessDenied?ReturnUrl=%2Fadmin%2Fusers");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Access denied", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(DemoAccounts.ForRole(PortalRoles.Manager).Email);
        var home = await session.Client.GetStringAsync("/");
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.True(token.Success, "The shell has no sign-out form.");

        var response = await session.Client.PostAsync("/Account/Logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token.Groups[1].Value }));

        ResponseAssertions.AssertRedirectsTo(response, "/Account/Login");
        ResponseAssertions.AssertRedirectsTo(await session.Client.GetAsync("/dashboards"), "/Account/Login");
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused()
    {
        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(DemoAccounts.ForRole(PortalRoles.Manager).Email);

        var response = await session.Client.PostAsync("/Account/Logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/dashboards")).StatusCode);
    }
}
